-- Core domain of DESIGN.md §2. Money is integer cents; calendar dates are `date` in the
-- company's time zone; instants are timestamptz (UTC).

create table settings (
  id                 smallint primary key default 1 check (id = 1),
  company_name       text not null default 'Ma Société SAS',
  company_address    text not null default '',
  company_email      text not null default '',
  company_phone      text not null default '',
  mail_from          text,
  timezone           text not null default 'Europe/Paris',
  send_hour          smallint not null default 9 check (send_hour between 0 and 23),
  country            char(2) not null default 'FR',
  due_soon_days      smallint not null default 7 check (due_soon_days between 0 and 90),
  minimum_balance_cents bigint not null default 0 check (minimum_balance_cents >= 0),
  updated_at         timestamptz not null default now()
);
insert into settings default values;

create table policies (
  id          bigint generated always as identity primary key,
  name        text not null unique,
  is_default  boolean not null default false
);
create unique index policies_one_default on policies (is_default) where is_default;

create table follow_up_steps (
  id          bigint generated always as identity primary key,
  policy_id   bigint not null references policies on delete cascade,
  position    smallint not null check (position >= 1),
  name        text not null check (length(name) between 1 and 80),
  colour      text not null default '#d97706' check (colour ~ '^#[0-9a-fA-F]{6}$'),
  delay_days  integer not null check (delay_days between -365 and 365),
  channel     text not null default 'email' check (channel in ('email', 'letter', 'both')),
  attach_pdf  boolean not null default false,
  fee_cents   bigint check (fee_cents >= 0),
  is_final    boolean not null default false,
  unique (policy_id, position) deferrable initially deferred
);

create table templates (
  id          bigint generated always as identity primary key,
  step_id     bigint not null references follow_up_steps on delete cascade,
  channel     text not null check (channel in ('email', 'letter')),
  language    text not null check (language in ('fr', 'en')),
  subject     text not null,
  body        text not null,
  updated_at  timestamptz not null default now(),
  unique (step_id, channel, language)
);

create table customers (
  id              bigint generated always as identity primary key,
  ref             text not null unique check (ref ~ '^[A-Za-z0-9._:-]{1,64}$'),
  name            text not null check (length(name) between 1 and 200),
  emails          text[] not null default '{}',
  address_line1   text not null default '',
  address_line2   text not null default '',
  postal_code     text not null default '',
  city            text not null default '',
  country         char(2) not null default 'FR',
  language        text not null default 'fr' check (language in ('fr', 'en')),
  policy_id       bigint references policies,
  dunning_excluded boolean not null default false,
  paused          boolean not null default false,
  pause_reason    text,
  created_at      timestamptz not null default now(),
  updated_at      timestamptz not null default now()
);

create table invoices (
  id            bigint generated always as identity primary key,
  number        text not null unique check (number ~ '^[A-Za-z0-9._/:-]{1,64}$'),
  customer_id   bigint not null references customers,
  issue_date    date not null,
  due_date      date,
  currency      char(3) not null check (currency ~ '^[A-Z]{3}$'),
  total_cents   bigint not null check (total_cents > 0),
  paid_cents    bigint not null default 0 check (paid_cents >= 0),
  status        text not null default 'open' check (status in ('open', 'paid', 'cancelled')),
  paused        boolean not null default false,
  pause_reason  text,
  created_at    timestamptz not null default now(),
  updated_at    timestamptz not null default now()
);
create index invoices_customer on invoices (customer_id);
create index invoices_open_due on invoices (due_date) where status = 'open';

create table installments (
  invoice_id    bigint not null references invoices on delete cascade,
  seq           smallint not null check (seq >= 1),
  due_date      date not null,
  amount_cents  bigint not null check (amount_cents >= 0),
  label         text not null default '',
  primary key (invoice_id, seq)
);

create table payments (
  id            bigint generated always as identity primary key,
  invoice_id    bigint not null references invoices,
  amount_cents  bigint not null check (amount_cents > 0),
  currency      char(3) not null,
  paid_on       date not null,
  method        text not null check (method in ('transfer', 'card', 'sepa_debit', 'stripe', 'cheque', 'credit_note', 'other')),
  source        text not null check (source in ('api', 'csv', 'manual', 'stripe_webhook', 'sepa_run')),
  external_id   text unique,
  created_at    timestamptz not null default now()
);
create index payments_invoice on payments (invoice_id);

-- One reminder per invoice and level: the lasting guard against sending twice.
create table reminders (
  id                  bigint generated always as identity primary key,
  invoice_id          bigint not null references invoices,
  level               smallint not null check (level >= 1),
  step_id             bigint references follow_up_steps on delete set null,
  step_name           text not null,
  channel             text not null check (channel in ('email', 'letter')),
  status              text not null default 'pending' check (status in ('pending', 'sent', 'failed')),
  failure_reason      text,
  recipients          text[] not null default '{}',
  subject             text,
  note                text,
  performed_by        text not null default 'system',
  sent_at             timestamptz,
  next_planned_on     date,
  provider_message_id text,
  -- A failed attempt (no address, recipient rejected) may be retried once the data is fixed.
  attempt             smallint not null default 1,
  idempotency_key     text not null unique,
  created_at          timestamptz not null default now(),
  unique (invoice_id, level)
);

create table follow_up_events (
  id           bigint generated always as identity primary key,
  invoice_id   bigint not null references invoices,
  kind         text not null,
  level        smallint,
  message      text not null default '',
  actor        text not null default 'system',
  dedupe_key   text unique,
  occurred_at  timestamptz not null default now()
);
create index follow_up_events_invoice on follow_up_events (invoice_id, occurred_at);

-- The local outbox stands in for the e-mail provider when no Resend key is configured.
create table outbox (
  id               bigint generated always as identity primary key,
  idempotency_key  text not null unique,
  mail_from        text not null,
  mail_to          text[] not null,
  subject          text not null,
  html             text not null,
  created_at       timestamptz not null default now()
);
