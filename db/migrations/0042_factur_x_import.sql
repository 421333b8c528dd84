-- Factur-X invoices come in with their buyer's legal identity, which finds the customer again on
-- the next invoice, and, for a direct debit, a mandate whose signature date the invoice does not
-- carry: such a mandate waits for that date before any collection uses it.
alter table customers
  add column siren text check (siren ~ '^[0-9]{9}$'),
  add column siret text check (siret ~ '^[0-9]{14}$'),
  add column vat_number text check (vat_number ~ '^[A-Z]{2}[0-9A-Za-z+*.]{2,13}$');
create index customers_siren on customers (siren) where siren is not null;
create index customers_vat_number on customers (vat_number) where vat_number is not null;

alter table mandates alter column signed_on drop not null;

alter table payments drop constraint payments_source_check,
  add constraint payments_source_check check (source in ('api', 'csv', 'manual', 'stripe_webhook', 'sepa_run', 'factur-x'));

-- A batch of Factur-X PDFs is checked, previewed and applied as a CSV file is; its files wait here.
alter table imports drop constraint imports_kind_check,
  add constraint imports_kind_check check (kind in ('customers', 'invoices', 'payments', 'factur-x'));
create table import_documents (
  import_id  bigint not null references imports on delete cascade,
  position   integer not null,
  filename   text not null,
  content    bytea not null,
  primary key (import_id, position)
);
