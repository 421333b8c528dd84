-- A bulk run starts once (issue 7): the form carries a key made when it was shown, so a repeated
-- post (a retry after the web server died, a double click) finds the run it already made.
alter table bulk_runs add column run_key text unique;
