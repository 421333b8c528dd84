-- The mass follow-up filters and sorts by the last level reached: kept on the invoice, written in
-- the same transaction as the reminder, so the list never scans the reminders table.
alter table invoices add column last_level smallint not null default 0,
                     add column last_reminded_at timestamptz;

update invoices i set last_level = r.level, last_reminded_at = r.sent_at
from (select distinct on (invoice_id) invoice_id, level, sent_at from reminders where status = 'sent'
      order by invoice_id, level desc) r
where r.invoice_id = i.id;

create index invoices_status_due on invoices (status, due_date, id);
create index invoices_last_level on invoices (last_level) where status = 'open';
create index customers_name_lower on customers (lower(name) text_pattern_ops);
