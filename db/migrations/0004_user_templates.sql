-- A user's own wording of a step's template, used when that user sends the reminder (source 000).
create table user_templates (
  user_id     bigint not null references users on delete cascade,
  step_id     bigint not null references follow_up_steps on delete cascade,
  channel     text not null check (channel in ('email', 'letter')),
  language    text not null check (language in ('fr', 'en')),
  subject     text not null,
  body        text not null,
  updated_at  timestamptz not null default now(),
  primary key (user_id, step_id, channel, language)
);
