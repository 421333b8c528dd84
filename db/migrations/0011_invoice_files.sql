-- The billing system's own PDF of an invoice, when it sends one: letters and e-mails then carry a
-- stamped copy of it instead of the copy Relance renders from the invoice's data.
create table invoice_files (
  invoice_id  bigint primary key references invoices on delete cascade,
  content     bytea not null,
  pages       integer not null check (pages >= 1),
  uploaded_at timestamptz not null default now()
);
