-- A timeline entry is a kind with its parameters, rendered in the reader's language (issue 19);
-- the English `message` of the rows written before stays as they were shown.
alter table follow_up_events add column params jsonb;
