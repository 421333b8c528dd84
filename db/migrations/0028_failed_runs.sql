-- Runs fail visibly (issue 17): a SEPA run whose file cannot be built ends 'failed' with its reason,
-- and its invoices are released ('released': never sent to the bank) for a later run.
alter table sepa_runs drop constraint sepa_runs_status_check;
alter table sepa_runs add constraint sepa_runs_status_check check (status in ('generating', 'sent', 'collected', 'failed'));
alter table sepa_runs add column failure_reason text;
alter table sepa_run_items drop constraint sepa_run_items_outcome_check;
alter table sepa_run_items add constraint sepa_run_items_outcome_check check (outcome in ('pending', 'collected', 'rejected', 'released'));
