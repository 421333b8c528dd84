-- The mass reminder's channel per invoice (source 003): an invoice of a run may go by e-mail or by
-- letter whatever the run's channel; null keeps the run's choice.
alter table bulk_run_items add column channel text check (channel in ('email', 'letter'));
