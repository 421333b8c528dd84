-- Collection analytics (issue 20): what was owed each day, per currency, as a daily Temporal
-- schedule records it; the days before the first snapshot are computed back from the invoices
-- and their payments. DSO is receivables ÷ the last 90 days' invoicing × 90.
create table collection_snapshots (
  day              date not null,
  currency         char(3) not null,
  receivable_cents bigint not null,
  overdue_cents    bigint not null,
  sales_90_cents   bigint not null,
  -- Balances by age on that day: not_due, 1-30, 31-60, 61-90, >90.
  aging            jsonb not null,
  taken_at         timestamptz not null default now(),
  primary key (day, currency)
);
create index reminders_sent_at on reminders (sent_at) where status = 'sent';
create index payments_invoice_paid_on on payments (invoice_id, paid_on);
