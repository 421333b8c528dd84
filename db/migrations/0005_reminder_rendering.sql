-- The exact e-mail a customer received, kept with its reminder for the outbox page.
alter table reminders add column html text;
