-- Sign-in throttling (issue 7): failed attempts are kept for a while, per address and per client
-- address, so guessing passwords is slowed down across every web process.
create table login_failures (
  id         bigint generated always as identity primary key,
  email      text not null,
  client     text not null,
  failed_at  timestamptz not null default now()
);
create index login_failures_email on login_failures (lower(email), failed_at);
create index login_failures_client on login_failures (client, failed_at);
