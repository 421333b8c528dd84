-- A formal notice gives the customer a deadline to pay, set per policy (French practice: eight
-- days), and goes by registered letter with acknowledgement: its tracking number is kept on the
-- reminder once finance types it in.
alter table policies add column notice_days smallint not null default 8 check (notice_days between 1 and 60);
alter table reminders add column tracking_number text check (tracking_number ~ '^[0-9A-Z]{8,20}$');
