-- Resend's batch endpoint takes up to 100 e-mails under one idempotency key, which only protects a
-- retry that repeats the very same request. So a batch is written before it is sent: its members
-- and their exact messages are fixed, and any retry (another worker, after a crash) sends it again
-- byte for byte. A message is dropped once its provider id is known.
create table email_batches (
  id         bigint generated always as identity primary key,
  status     text not null default 'sending' check (status in ('sending', 'sent', 'rejected')),
  rejection  text,
  created_at timestamptz not null default now(),
  sent_at    timestamptz
);

create table email_batch_members (
  -- The message's own idempotency key (one reminder attempt, one statement): it joins one batch, ever.
  idempotency_key     text primary key,
  batch_id            bigint not null references email_batches on delete cascade,
  position            smallint not null,
  message             jsonb,
  provider_message_id text,
  unique (batch_id, position)
);
