-- A letter template per level and language (issue 19). A step's letter used its e-mail's text
-- when it had none, which the letter tab did not show ("no template"); each gets its own copy,
-- shown and edited on that tab. Users' own versions keep falling back the same way.
insert into templates (step_id, purpose, channel, language, subject, body)
select e.step_id, e.purpose, 'letter', e.language, e.subject, e.body
from templates e
where e.channel = 'email'
  and not exists (
    select 1 from templates l
    where l.channel = 'letter' and l.language = e.language and l.purpose = e.purpose and l.step_id is not distinct from e.step_id
  );
