-- Templates that belong to no step (issue 6): the reminder sent after a returned direct debit, and
-- the customer statement that gathers several invoices' reminders. One per channel and language.

alter table templates alter column step_id drop not null;
alter table templates add column purpose text not null default 'reminder'
  check (purpose in ('reminder', 'debit_returned', 'statement'));
alter table templates add constraint templates_purpose_has_step check ((purpose = 'reminder') = (step_id is not null));
create unique index templates_special_key on templates (purpose, channel, language) where step_id is null;

-- When the bank or Stripe settled a debit: a return after the last reminder changes the next one.
alter table sepa_run_items add column settled_at timestamptz;
