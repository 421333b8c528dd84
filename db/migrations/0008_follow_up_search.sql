-- The mass follow-up stays fast with hundreds of thousands of invoices: trigram indexes answer the
-- "contains" searches on invoice numbers and customer names, and every sort has an index to walk.
create extension if not exists pg_trgm;
create index invoices_number_trgm on invoices using gin (number gin_trgm_ops);
create index customers_name_trgm on customers using gin (lower(name) gin_trgm_ops);
create index invoices_due_id on invoices (due_date, id);
-- Sorting by customer walks customers by name, then each one's invoices.
drop index customers_name_lower;
create index customers_lower_name_id on customers (lower(name), id);
create index invoices_status_balance on invoices (status, (total_cents - paid_cents), id);
