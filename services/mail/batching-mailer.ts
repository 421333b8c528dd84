import type { Sql } from '../../db/client.js';
import { emailBatch, placeInBatch, recordBatchRejected, recordBatchSent, recordMembersSent, type BatchMember, type BatchMessage, type EmailBatch } from '../../db/queries/email-batches.js';
import type { OutgoingEmail } from '../../db/queries/outbox.js';
import { EmailRejectedError, type BatchMailer, type Mailer } from './mailer.js';

interface Waiting {
  email: OutgoingEmail;
  resolve(sent: { providerMessageId: string }): void;
  reject(err: unknown): void;
}

/** For each member asked about: its provider id, or why the provider refused it for good. */
type Delivery = Map<string, string | EmailRejectedError>;

function stored({ idempotencyKey, attachments, ...message }: OutgoingEmail): { idempotencyKey: string; message: BatchMessage } {
  if (!attachments.length) return { idempotencyKey, message };
  return { idempotencyKey, message: { ...message, attachments: attachments.map((a) => ({ filename: a.filename, content: Buffer.from(a.content).toString('base64') })) } };
}

function outgoing(member: BatchMember): OutgoingEmail {
  const { attachments = [], ...message } = member.message!;
  return { ...message, idempotencyKey: member.idempotencyKey, attachments: attachments.map((a) => ({ filename: a.filename, content: Buffer.from(a.content, 'base64') })) };
}

/**
 * Sends the e-mails that arrive within a few milliseconds of each other (a bulk run asks dozens of
 * invoices at once) as one request of up to the provider's limit. Each batch is written down with
 * its exact messages before it goes, so a retry — from this worker or another after a crash —
 * repeats the identical request under the same key and the provider answers it without sending
 * again. An e-mail with attachments, which batches do not carry, goes alone, written down the same
 * way: its PDF, rendered again on a retry, would not be the same bytes.
 */
export function createBatchingMailer({ sql, provider, windowMs = 20 }: { sql: Sql; provider: BatchMailer; windowMs?: number }): Mailer {
  let waiting: Waiting[] = [];
  let timer: NodeJS.Timeout | undefined;
  const delivering = new Map<number, Promise<Delivery>>();

  const batchKey = (id: number) => `relance-batch-${id}`;

  async function sendWhole(batch: EmailBatch): Promise<string[]> {
    if (batch.members.length === 1) return [(await provider.send(outgoing(batch.members[0]!))).providerMessageId];
    return provider.sendBatch(batch.members.map((m) => ({ ...m.message!, idempotencyKey: m.idempotencyKey })), batchKey(batch.id));
  }

  /** A refused batch was sent to no one: its members go alone, each under its own key, so the good ones still go and the bad one is named. */
  async function sendEachAlone(batch: EmailBatch): Promise<Delivery> {
    const delivery: Delivery = new Map();
    const sent = new Map<string, string>();
    const attempts = await Promise.allSettled(batch.members.map(async (m) => {
      if (m.providerMessageId) return void delivery.set(m.idempotencyKey, m.providerMessageId);
      if (batch.members.length === 1) return void delivery.set(m.idempotencyKey, new EmailRejectedError(batch.rejection!));
      try {
        const { providerMessageId } = await provider.send(outgoing(m));
        sent.set(m.idempotencyKey, providerMessageId);
        delivery.set(m.idempotencyKey, providerMessageId);
      } catch (err) {
        if (!(err instanceof EmailRejectedError)) throw err;
        delivery.set(m.idempotencyKey, err);
      }
    }));
    // The ones that went are kept even when others must be tried again: the retry skips them.
    if (sent.size) await recordMembersSent(sql, sent);
    const transient = attempts.find((a) => a.status === 'rejected');
    if (transient) throw transient.reason;
    return delivery;
  }

  async function deliverOnce(batchId: number, placed: EmailBatch | null): Promise<Delivery> {
    let batch = placed?.id === batchId ? placed : await emailBatch(sql, batchId);
    if (batch.status === 'sending') {
      try {
        const ids = await sendWhole(batch);
        const sent = new Map(batch.members.map((m, i) => [m.idempotencyKey, ids[i]!]));
        await recordBatchSent(sql, batchId, sent);
        return sent;
      } catch (err) {
        if (!(err instanceof EmailRejectedError)) throw err;
        await recordBatchRejected(sql, batchId, err.message);
        batch = { ...batch, status: 'rejected', rejection: err.message };
      }
    }
    if (batch.status === 'sent') return new Map(batch.members.map((m) => [m.idempotencyKey, m.providerMessageId!]));
    return sendEachAlone(batch);
  }

  /** One delivery of a batch at a time in this process: its waiting members share it. The batch just placed is not read back. */
  function deliver(batchId: number, placed: EmailBatch | null): Promise<Delivery> {
    let pending = delivering.get(batchId);
    if (!pending) {
      pending = deliverOnce(batchId, placed).finally(() => delivering.delete(batchId));
      delivering.set(batchId, pending);
    }
    return pending;
  }

  async function dispatch(taken: Waiting[]): Promise<void> {
    try {
      const { batches, fresh } = await placeInBatch(sql, taken.map((w) => stored(w.email)));
      await Promise.all(taken.map(async (w) => {
        try {
          const outcome = (await deliver(batches.get(w.email.idempotencyKey)!, fresh)).get(w.email.idempotencyKey)!;
          if (outcome instanceof EmailRejectedError) w.reject(outcome);
          else w.resolve({ providerMessageId: outcome });
        } catch (err) {
          w.reject(err);
        }
      }));
    } catch (err) {
      taken.forEach((w) => w.reject(err));
    }
  }

  function flush(): void {
    clearTimeout(timer);
    timer = undefined;
    const taken = waiting;
    waiting = [];
    void dispatch(taken);
  }

  return {
    kind: provider.kind,
    send(email) {
      if (email.attachments.length) return new Promise((resolve, reject) => void dispatch([{ email, resolve, reject }]));
      return new Promise((resolve, reject) => {
        waiting.push({ email, resolve, reject });
        if (waiting.length >= provider.batchLimit) flush();
        else timer ??= setTimeout(flush, windowMs);
      });
    },
  };
}
