-- Lookups every reminder makes, given an index that answers them whatever plan PostgreSQL picks.
-- The worker keeps generic plans of its prepared statements, made once from the statistics of the
-- moment (a table just filled may have none): without these, such a plan scanned every reminder
-- for a letter to print, every sent reminder for an invoice's last one, and every open invoice
-- for a customer's other balances, a cost that grew with the tables.
create index reminders_letter_to_print on reminders (invoice_id) where status = 'prepared';
create index reminders_sent_of_invoice on reminders (invoice_id, sent_at) where status = 'sent';
create index invoices_open_of_customer on invoices (customer_id) where status = 'open';
