-- A reminder a person made outside Relance (a call, a letter by hand), recorded at its level (source 003).
alter table reminders drop constraint reminders_channel_check;
alter table reminders add constraint reminders_channel_check check (channel in ('email', 'letter', 'manual'));
