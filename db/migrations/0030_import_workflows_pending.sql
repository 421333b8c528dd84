-- Of an import's workflows, those left to the repair pass because the workflow engine was
-- unreachable (issue 17): the progress bar no longer counts them as started.
alter table imports add column workflows_pending integer not null default 0;
