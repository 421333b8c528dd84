-- Statutory late charges (issue 6): each policy's interest rule and recovery indemnity, whether a
-- customer is a business (the 40 EUR indemnity is for businesses only), the published reference
-- rate of each half-year, and the late-charge notes issued (never written into the invoice).

alter table policies
  add column interest_rule text not null default 'none' check (interest_rule in ('none', 'fixed', 'reference')),
  -- The yearly rate (fixed) or the points added to the reference rate, in basis points.
  add column interest_bp integer not null default 1000 check (interest_bp between 0 and 10000),
  add column recovery_indemnity boolean not null default false;

alter table customers add column is_business boolean not null default true;

-- The ECB's main refinancing rate in force on 1 January / 1 July, as published for French late interest.
create table reference_rates (
  valid_from date primary key check (extract(day from valid_from) = 1 and extract(month from valid_from) in (1, 7)),
  rate_bp    integer not null check (rate_bp between -1000 and 10000)
);
insert into reference_rates (valid_from, rate_bp) values
  ('2023-01-01', 250), ('2023-07-01', 400), ('2024-01-01', 450), ('2024-07-01', 425), ('2025-01-01', 315), ('2025-07-01', 215);

create table late_charge_notes (
  id              bigint generated always as identity primary key,
  invoice_id      bigint not null references invoices,
  as_of           date not null,
  interest_cents  bigint not null check (interest_cents >= 0),
  indemnity_cents bigint not null check (indemnity_cents >= 0),
  rate_bp         integer,
  currency        char(3) not null,
  filename        text not null,
  content         bytea not null,
  pages           integer not null,
  issued_by       text not null,
  issued_at       timestamptz not null default now(),
  -- One note per invoice and day: issuing twice the same day gives the same note.
  unique (invoice_id, as_of)
);
