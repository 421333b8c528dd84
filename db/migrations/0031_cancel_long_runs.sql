-- Every long run can be cancelled (issue 17): a SEPA run before its file is built, a customer's
-- statement while it gathers, the workflow starts of an import. Each says who stopped it.
alter table sepa_runs drop constraint sepa_runs_status_check;
alter table sepa_runs add constraint sepa_runs_status_check check (status in ('generating', 'sent', 'collected', 'failed', 'cancelled'));
alter table sepa_runs add column cancelled_by text;

alter table statements drop constraint statements_status_check;
alter table statements add constraint statements_status_check check (status in ('gathering', 'sending', 'sent', 'failed', 'cancelled'));
alter table statements add column cancelled_by text;
alter table statement_items drop constraint statement_items_outcome_check;
alter table statement_items add constraint statement_items_outcome_check check (outcome in ('pending', 'sent', 'skipped', 'failed', 'cancelled'));

-- cancel_requested_at stops the loop that starts the import's workflows; workflows_failure is why
-- it stopped on its own; workflows_noted_at tells a loop still going from one a restart cut short.
alter table imports add column cancel_requested_at timestamptz, add column cancelled_by text,
  add column workflows_failure text, add column workflows_noted_at timestamptz;
