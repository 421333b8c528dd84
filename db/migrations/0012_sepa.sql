-- SEPA direct debit (source 001 "Génération SEPA"): a customer's bank account and mandate, the
-- creditor's identity, and the collection runs with their files.

create table mandates (
  customer_id   bigint primary key references customers on delete cascade,
  iban          text not null,
  bic           text,
  holder        text not null check (length(holder) between 1 and 70),
  bank_name     text not null default '',
  reference     text not null unique check (reference ~ '^[A-Za-z0-9+?/:().,''-]{1,35}$'),
  signed_on     date not null,
  signed_place  text not null default '',
  sequence      text not null default 'FRST' check (sequence in ('FRST', 'RCUR', 'OOFF', 'FNAL')),
  updated_at    timestamptz not null default now()
);

alter table settings
  add column sepa_creditor_name text not null default '',
  add column sepa_creditor_id text not null default '',
  add column sepa_iban text not null default '',
  add column sepa_bic text,
  add column sepa_lead_days smallint not null default 2 check (sepa_lead_days between 0 and 30);

create table sepa_runs (
  id               bigint generated always as identity primary key,
  created_by       bigint references users on delete set null,
  created_at       timestamptz not null default now(),
  collection_date  date not null,
  format           text not null check (format in ('pain.008.001.02', 'pain.008.002.02', 'pain.008.003.02')),
  label            text not null default '',
  message_id       text not null unique,
  status           text not null default 'generating' check (status in ('generating', 'sent', 'collected')),
  zip              bytea,
  transactions     integer not null default 0,
  total_cents      bigint not null default 0
);

create table sepa_run_items (
  run_id        bigint not null references sepa_runs on delete cascade,
  invoice_id    bigint not null references invoices,
  amount_cents  bigint not null check (amount_cents > 0),
  sequence      text not null check (sequence in ('FRST', 'RCUR', 'OOFF', 'FNAL')),
  end_to_end_id text not null,
  outcome       text not null default 'pending' check (outcome in ('pending', 'collected', 'rejected')),
  reason        text,
  primary key (run_id, invoice_id)
);
create index sepa_run_items_pending on sepa_run_items (invoice_id) where outcome = 'pending';
