-- Sent batches are kept 30 days (Resend forgets its idempotency keys after one), then pruned as
-- new batches are written; this index finds the old ones without reading the rest.
create index email_batches_sent_at on email_batches (sent_at) where status = 'sent';
