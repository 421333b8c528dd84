-- A bulk run can be cancelled (issue 17): it ends "cancelled after N of M", and each invoice not yet
-- asked when it stopped says so ('cancelled'); those asked keep what happened to them.
-- cancel_requested_at is the stop's signal to the asks under way: each looks at it before asking.
alter table bulk_runs add column cancel_requested_at timestamptz, add column cancelled_at timestamptz;
alter table bulk_run_items drop constraint bulk_run_items_outcome_check;
alter table bulk_run_items add constraint bulk_run_items_outcome_check check (outcome in ('sent', 'prepared', 'failed', 'skipped', 'refused', 'cancelled'));
