-- What the e-mail provider says happened after sending (Resend webhooks): delivered, bounced, complained…
alter table reminders add column delivery_status text
  check (delivery_status in ('delivered', 'delivery_delayed', 'bounced', 'complained', 'failed', 'suppressed')),
  add column delivery_detail text,
  add column delivery_at timestamptz;
create index reminders_provider_message on reminders (provider_message_id);

-- Each webhook delivery once, whatever the provider's retries.
create table webhook_events (
  id           text primary key,
  received_at  timestamptz not null default now()
);
