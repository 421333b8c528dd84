-- A number every change to what a reminder is made of moves on (the settings, the policies and
-- their steps, the templates, the reference rates, who a sender is): a worker keeps what it read
-- of them across reminders and reads them again only when this number has moved. Bumped by
-- triggers, so every writer counts, the admin site's, an import's or a hand-written statement's.
create table configuration_version (
  id      integer primary key default 1 check (id = 1),
  version bigint not null
);
insert into configuration_version (id, version) values (1, 1);

create function bump_configuration_version() returns trigger language plpgsql as $$
begin
  update configuration_version set version = version + 1 where id = 1;
  return null;
end $$;

do $$
declare t text;
begin
  foreach t in array array['settings', 'policies', 'follow_up_steps', 'templates', 'user_templates', 'reference_rates'] loop
    execute format('create trigger %I after insert or update or delete or truncate on %I
      for each statement execute function bump_configuration_version()', t || '_configuration_version', t);
  end loop;
end $$;

-- A sender's own templates are found by their e-mail address.
create trigger users_configuration_version after insert or delete or update of email on users
  for each statement execute function bump_configuration_version();
