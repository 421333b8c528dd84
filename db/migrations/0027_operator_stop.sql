-- An operator's stop (issue 17): cancelling an invoice's workflow in Temporal, or terminating it,
-- stops its dunning until someone resumes it from the admin site; nothing restarts it before.
alter table invoices add column stopped_at timestamptz, add column stopped_reason text;
