-- Customer statements (issue 6): in statement mode, the reminders due to one customer on the same
-- day go out as one e-mail listing every invoice at its own level. Each invoice's workflow still
-- decides its level; the statement gathers them, sends once, and records one reminder per invoice.

alter table policies add column statement_mode boolean not null default false;

create table statements (
  id             bigint generated always as identity primary key,
  customer_id    bigint not null references customers,
  status         text not null default 'gathering' check (status in ('gathering', 'sending', 'sent', 'failed')),
  created_at     timestamptz not null default now(),
  sent_at        timestamptz,
  subject        text,
  failure_reason text
);
-- One statement gathers at a time per customer; a late joiner after it closed starts the next.
create unique index statements_one_gathering on statements (customer_id) where status = 'gathering';

create table statement_items (
  statement_id bigint not null references statements on delete cascade,
  invoice_id   bigint not null references invoices,
  level        smallint not null check (level >= 1),
  outcome      text not null default 'pending' check (outcome in ('pending', 'sent', 'skipped', 'failed')),
  reason       text,
  primary key (statement_id, invoice_id)
);
-- An invoice waits in one statement at most.
create unique index statement_items_one_pending on statement_items (invoice_id) where outcome = 'pending';

alter table reminders add column statement_id bigint references statements;
