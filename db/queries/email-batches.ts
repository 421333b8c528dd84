import type { ISql, Sql } from '../client.js';
import type { OutgoingEmail } from './outbox.js';

/** One e-mail of a batch as it is kept until its provider id is known: its attachments (only on one that goes alone) in base64. */
export type BatchMessage = Omit<OutgoingEmail, 'attachments' | 'idempotencyKey'> & { attachments?: { filename: string; content: string }[] };

export interface BatchMember {
  idempotencyKey: string;
  message: BatchMessage | null;
  providerMessageId: string | null;
}

export interface EmailBatch {
  id: number;
  status: 'sending' | 'sent' | 'rejected';
  rejection: string | null;
  /** In the order they were sent. */
  members: BatchMember[];
}

/**
 * Puts each message that has never been in a batch into a new one, in the given order; a message
 * already placed (a retry) stays where it is. Returns the batch of every key. Sent batches over
 * 30 days old go on the way.
 */
export async function placeInBatch(sql: Sql, messages: { idempotencyKey: string; message: BatchMessage }[]): Promise<Map<string, number>> {
  const keys = messages.map((m) => m.idempotencyKey);
  return sql.begin(async (tx) => {
    // A retry comes within minutes; a month on, a sent batch only takes room.
    await tx`
      delete from email_batches where id in (
        select id from email_batches where status = 'sent' and sent_at < now() - interval '30 days' limit 100 for update skip locked)`;
    const [batch] = await tx<{ id: number }[]>`insert into email_batches default values returning id`;
    const placed = await tx`
      insert into email_batch_members (idempotency_key, batch_id, position, message)
      select key, ${batch!.id}, position, message::jsonb
      from unnest(${keys}::text[], ${messages.map((m) => JSON.stringify(m.message))}::text[]) with ordinality as m(key, message, position)
      on conflict (idempotency_key) do nothing
      returning idempotency_key`;
    if (placed.length === 0) await tx`delete from email_batches where id = ${batch!.id}`;
    const rows = await tx<{ key: string; batchId: number }[]>`
      select idempotency_key as key, batch_id as "batchId" from email_batch_members where idempotency_key = any(${keys}::text[])`;
    return new Map(rows.map((r) => [r.key, r.batchId]));
  });
}

export async function emailBatch(sql: ISql, id: number): Promise<EmailBatch> {
  const [batch] = await sql<Omit<EmailBatch, 'members'>[]>`select id, status, rejection from email_batches where id = ${id}`;
  const members = await sql<BatchMember[]>`
    select idempotency_key as "idempotencyKey", message, provider_message_id as "providerMessageId"
    from email_batch_members where batch_id = ${id} order by position`;
  return { ...batch!, members };
}

/** The provider took the batch: each member's id is kept and its message, no longer needed, dropped. */
export async function recordBatchSent(sql: Sql, id: number, providerIds: Map<string, string>): Promise<void> {
  await sql.begin(async (tx) => {
    await tx`update email_batches set status = 'sent', sent_at = now() where id = ${id}`;
    await recordMembersSent(tx, providerIds);
  });
}

export async function recordMembersSent(sql: ISql, providerIds: Map<string, string>): Promise<void> {
  await sql`
    update email_batch_members m set provider_message_id = s.id, message = null
    from unnest(${[...providerIds.keys()]}::text[], ${[...providerIds.values()]}::text[]) as s(key, id)
    where m.idempotency_key = s.key`;
}

/** The provider refused the whole batch and sent none of it: its members go one by one. */
export async function recordBatchRejected(sql: ISql, id: number, reason: string): Promise<void> {
  await sql`update email_batches set status = 'rejected', rejection = ${reason} where id = ${id}`;
}
