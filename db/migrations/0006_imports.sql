-- A CSV file checked row by row, kept until it is applied in one transaction; then the progress
-- of starting or waking the workflows it touched.
create table imports (
  id               bigint generated always as identity primary key,
  kind             text not null check (kind in ('customers', 'invoices', 'payments')),
  filename         text not null,
  file_sha256      text not null,
  content          text not null,
  row_count        integer not null,
  status           text not null default 'checked' check (status in ('checked', 'applied')),
  created_by       bigint references users on delete set null,
  created_at       timestamptz not null default now(),
  applied_at       timestamptz,
  workflows_total  integer not null default 0,
  workflows_done   integer not null default 0
);
