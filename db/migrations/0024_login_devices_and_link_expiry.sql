-- Sign-in hardening (issue 15). Each attempt is written before its password is checked, so parallel
-- guesses count one by one; an attempt made from a browser that signed in before (a signed device
-- cookie) is counted for that device alone, so a stranger locking out an address does not lock out
-- its owner. Pay links now carry the day they were made and expire after a set number of days.
alter table login_failures add column device text;
create index login_failures_device on login_failures (device, failed_at) where device is not null;
alter table settings add column device_cookie_secret text;
alter table settings add column pay_link_days integer not null default 90 check (pay_link_days between 1 and 3650);
