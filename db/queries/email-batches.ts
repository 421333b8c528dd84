import type { ISql } from '../client.js';
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

export interface Placement {
  /** The batch of every key. */
  batches: Map<string, number>;
  /** The batch this call made, as it stands: the caller sends it without reading it back. */
  fresh: EmailBatch | null;
}

/**
 * Puts each message that has never been in a batch into a new one, in the given order; a message
 * already placed (a retry) stays where it is. Sent batches over 30 days old go on the way, but
 * never one that holds a key asked about: its retry gets the provider id it was sent under.
 */
export async function placeInBatch(sql: ISql, messages: { idempotencyKey: string; message: BatchMessage }[]): Promise<Placement> {
  const keys = messages.map((m) => m.idempotencyKey);
  // One statement: the members already placed, the batch that holds the new ones, the pruning.
  const rows = await sql<{ key: string | null; batchId: number; placed: boolean }[]>`
    with given as (
      select key, message, position from unnest(${keys}::text[], ${messages.map((m) => JSON.stringify(m.message))}::text[]) with ordinality as m(key, message, position)),
    known as (select idempotency_key as key, batch_id from email_batch_members where idempotency_key = any(${keys}::text[])),
    fresh as (select * from given where key not in (select key from known)),
    pruned as (
      delete from email_batches where id in (
        select id from email_batches where status = 'sent' and sent_at < now() - interval '30 days' and id not in (select batch_id from known)
        limit 100 for update skip locked)),
    batch as (insert into email_batches (status) select 'sending' where exists (select 1 from fresh) returning id),
    placed as (
      insert into email_batch_members (idempotency_key, batch_id, position, message)
      select f.key, b.id, f.position, f.message::jsonb from fresh f cross join batch b
      on conflict (idempotency_key) do nothing
      returning idempotency_key as key, batch_id)
    select key, batch_id as "batchId", false as placed from known
    union all select key, batch_id, true from placed
    union all select null, id, false from batch where not exists (select 1 from placed)`;
  const batches = new Map(rows.filter((r) => r.key !== null).map((r) => [r.key!, r.batchId]));
  // Placed a moment ago by a retry running at the same time, after this statement's snapshot.
  const raced = keys.filter((k) => !batches.has(k));
  if (raced.length) {
    const late = await sql<{ key: string; batchId: number }[]>`
      select idempotency_key as key, batch_id as "batchId" from email_batch_members where idempotency_key = any(${raced}::text[])`;
    late.forEach((r) => batches.set(r.key, r.batchId));
  }
  const unused = rows.find((r) => r.key === null);
  if (unused) await sql`delete from email_batches where id = ${unused.batchId}`;
  return { batches, fresh: freshBatch(rows.filter((r) => r.placed), messages) };
}

/** The members this call placed, in the order of the messages given (their positions). */
function freshBatch(placed: { key: string | null; batchId: number }[], messages: { idempotencyKey: string; message: BatchMessage }[]): EmailBatch | null {
  if (placed.length === 0) return null;
  const ours = new Set(placed.map((r) => r.key));
  const members = messages.filter((m) => ours.has(m.idempotencyKey)).map((m) => ({ idempotencyKey: m.idempotencyKey, message: m.message, providerMessageId: null }));
  return { id: placed[0]!.batchId, status: 'sending', rejection: null, members };
}

export async function emailBatch(sql: ISql, id: number): Promise<EmailBatch> {
  const [batch] = await sql<EmailBatch[]>`
    select b.id, b.status, b.rejection,
           (select coalesce(json_agg(json_build_object('idempotencyKey', m.idempotency_key, 'message', m.message, 'providerMessageId', m.provider_message_id) order by m.position), '[]')
            from email_batch_members m where m.batch_id = b.id) as members
    from email_batches b where b.id = ${id}`;
  return batch!;
}

/** The provider took the batch: each member's id is kept and its message, no longer needed, dropped; in one statement. */
export async function recordBatchSent(sql: ISql, id: number, providerIds: Map<string, string>): Promise<void> {
  await sql`with batch as (update email_batches set status = 'sent', sent_at = now() where id = ${id}) ${membersSent(sql, providerIds)}`;
}

export async function recordMembersSent(sql: ISql, providerIds: Map<string, string>): Promise<void> {
  await sql`${membersSent(sql, providerIds)}`;
}

const membersSent = (sql: ISql, providerIds: Map<string, string>) => sql`
  update email_batch_members m set provider_message_id = s.id, message = null
  from unnest(${[...providerIds.keys()]}::text[], ${[...providerIds.values()]}::text[]) as s(key, id)
  where m.idempotency_key = s.key`;

/** The provider refused the whole batch and sent none of it: its members go one by one. */
export async function recordBatchRejected(sql: ISql, id: number, reason: string): Promise<void> {
  await sql`update email_batches set status = 'rejected', rejection = ${reason} where id = ${id}`;
}
