-- Stripe SEPA debit (issue 5): the account keys finance saves in the settings, each customer's
-- Stripe customer, payment method and mandate, off-session payments inside SEPA runs, and the
-- webhook events already handled (Stripe delivers at least once).

alter table settings
  add column stripe_secret_key text,
  add column stripe_publishable_key text,
  add column stripe_webhook_secret text;

create table stripe_customers (
  customer_id        bigint primary key references customers on delete cascade,
  stripe_customer_id text not null,
  payment_method_id  text not null,
  setup_intent_id    text not null,
  -- Stripe names the mandate once the setup intent succeeds; the webhook fills it in if it came later.
  mandate_id         text,
  -- The account the payment method debits: a new IBAN on the mandate form unlinks the customer.
  iban               text not null,
  created_at         timestamptz not null default now()
);
create index stripe_customers_setup_intent on stripe_customers (setup_intent_id);

alter table sepa_run_items
  add column channel text not null default 'file' check (channel in ('file', 'stripe')),
  add column payment_intent_id text unique;

create table stripe_events (
  id          text primary key,
  type        text not null,
  received_at timestamptz not null default now()
);
