-- The lines of an invoice (issue 19), so its copy shows what was sold and the VAT, not only the
-- total: label, quantity (in thousandths), unit price before tax (in cents, negative for a
-- discount) and VAT rate (in basis points). Written with the invoice, in the same transaction.
create table invoice_lines (
  invoice_id       bigint not null references invoices on delete cascade,
  position         smallint not null check (position >= 1),
  label            text not null check (length(label) between 1 and 300),
  quantity_milli   bigint not null check (quantity_milli > 0),
  unit_price_cents bigint not null,
  vat_rate_bp      integer not null check (vat_rate_bp between 0 and 10000),
  primary key (invoice_id, position)
);
