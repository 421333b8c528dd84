-- What the analytics page shows besides the snapshots, computed with them each night: per
-- reminder level and channel, what got paid after it; per customer, its habits. The page reads
-- these small tables, whatever the number of invoices and reminders behind them.
create table reminder_effects (
  level              smallint not null,
  step_name          text not null,
  channel            text not null,
  currency           char(3) not null,
  sent               integer not null,
  paid_within_7      integer not null,
  paid_within_15     integer not null,
  paid_within_30     integer not null,
  collected_30_cents bigint not null,
  computed_at        timestamptz not null default now(),
  primary key (level, channel, currency)
);
create table customer_habits (
  customer_id       bigint primary key references customers on delete cascade,
  paid_invoices     integer not null,
  average_days_late double precision,
  promises_kept     integer not null,
  promises_broken   integer not null,
  disputes          integer not null,
  overdue_cents     bigint not null,
  currency          char(3) not null,
  computed_at       timestamptz not null default now()
);
create index customer_habits_overdue on customer_habits (overdue_cents desc);
