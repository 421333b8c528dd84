-- People who use the admin site, their sessions, and the audit log of configuration changes.

create table users (
  id             bigint generated always as identity primary key,
  email          text not null unique check (email = lower(email) and email ~ '^[^@\s]+@[^@\s]+$'),
  name           text not null check (length(name) between 1 and 120),
  role           text not null check (role in ('admin', 'finance')),
  password_hash  text not null,
  created_at     timestamptz not null default now()
);

-- The cookie carries a random id; only its SHA-256 is stored, so a database leak opens no session.
create table sessions (
  id_hash     text primary key,
  user_id     bigint not null references users on delete cascade,
  csrf_token  text not null,
  created_at  timestamptz not null default now(),
  expires_at  timestamptz not null
);
create index sessions_user on sessions (user_id);

create table audit_log (
  id          bigint generated always as identity primary key,
  user_id     bigint references users on delete set null,
  action      text not null,
  entity      text not null,
  before      jsonb,
  after       jsonb,
  at          timestamptz not null default now()
);
