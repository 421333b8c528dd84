-- Disputes and promises to pay (issue 6): each pauses an invoice's dunning until it is closed,
-- or until the promised date passes without the payment; dunning then resumes where it was.

create table disputes (
  id          bigint generated always as identity primary key,
  invoice_id  bigint not null references invoices on delete cascade,
  reason      text not null check (length(reason) between 1 and 500),
  owner       text not null check (length(owner) between 1 and 200),
  opened_by   text not null,
  opened_at   timestamptz not null default now(),
  closed_at   timestamptz,
  closed_by   text,
  resolution  text
);
create unique index disputes_one_open on disputes (invoice_id) where closed_at is null;

create table payment_promises (
  id            bigint generated always as identity primary key,
  invoice_id    bigint not null references invoices on delete cascade,
  amount_cents  bigint not null check (amount_cents > 0),
  promised_on   date not null,
  -- The balance when promised: the promise is kept once the balance is down by the amount.
  balance_cents bigint not null,
  recorded_by   text not null,
  recorded_at   timestamptz not null default now(),
  outcome       text check (outcome in ('kept', 'broken', 'withdrawn')),
  settled_at    timestamptz
);
create unique index payment_promises_one_pending on payment_promises (invoice_id) where outcome is null;
