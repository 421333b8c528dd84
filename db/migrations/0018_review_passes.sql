-- Scheduled runs with review (issue 6): a policy may need finance's approval before its reminders
-- go out. Each day's pass lists what falls due that day; approving it lets those levels go, and a
-- single invoice can be held back.

alter table policies add column needs_approval boolean not null default false;
alter table settings add column review_hour smallint not null default 7 check (review_hour between 0 and 23);

create table review_passes (
  id           bigint generated always as identity primary key,
  pass_date    date not null unique,
  status       text not null default 'open' check (status in ('open', 'approved')),
  prepared_at  timestamptz not null default now(),
  approved_by  text,
  approved_at  timestamptz
);

create table review_items (
  pass_id      bigint not null references review_passes on delete cascade,
  invoice_id   bigint not null references invoices,
  level        smallint not null check (level >= 1),
  channel      text not null check (channel in ('email', 'letter', 'both')),
  amount_cents bigint not null,
  currency     char(3) not null,
  held         boolean not null default false,
  held_by      text,
  primary key (pass_id, invoice_id)
);
create index review_items_invoice on review_items (invoice_id, level);
