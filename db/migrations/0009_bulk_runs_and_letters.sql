-- Bulk runs (sources 000, 002, 003) and postal letters. A letter reminder is "prepared" until its
-- PDF is downloaded for printing; the download makes it "sent" and advances the level, once.

alter table reminders drop constraint reminders_status_check;
alter table reminders add constraint reminders_status_check check (status in ('pending', 'prepared', 'sent', 'failed'));
alter table reminders drop constraint reminders_channel_check;
alter table reminders add constraint reminders_channel_check check (channel in ('email', 'letter', 'both', 'manual'));
alter table reminders add column attach_pdf boolean not null default false;

create table bulk_runs (
  id            bigint generated always as identity primary key,
  created_by    bigint references users on delete set null,
  created_at    timestamptz not null default now(),
  -- null: each invoice's computed next level ("suivi calculé"); else that level for every invoice.
  forced_level  smallint check (forced_level >= 1),
  channel       text not null check (channel in ('step', 'email', 'letter')),
  attach_pdf    boolean not null,
  finished_at   timestamptz,
  letters_downloaded_at timestamptz
);

create table bulk_run_items (
  run_id       bigint not null references bulk_runs on delete cascade,
  invoice_id   bigint not null references invoices,
  position     integer not null,
  outcome      text check (outcome in ('sent', 'prepared', 'failed', 'skipped', 'refused')),
  level        smallint,
  reason       text,
  reminder_id  bigint references reminders,
  primary key (run_id, invoice_id)
);
create index bulk_run_items_position on bulk_run_items (run_id, position);

alter table reminders add column run_id bigint references bulk_runs;

-- Rendered files: a letter merged with its stamped invoice copy, kept with its reminder.
create table documents (
  id           bigint generated always as identity primary key,
  reminder_id  bigint references reminders,
  filename     text not null,
  content      bytea not null,
  pages        integer not null,
  created_at   timestamptz not null default now()
);
create unique index documents_reminder on documents (reminder_id);
