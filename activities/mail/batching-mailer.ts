import type { Sql } from '../../db/client.js';
import { emailBatch, placeInBatch, recordBatchRejected, recordBatchSent, recordMembersSent, type EmailBatch } from '../../db/queries/email-batches.js';
import { EmailRejectedError, type BatchableEmail, type BatchMailer, type Mailer } from './mailer.js';

interface Waiting {
  email: BatchableEmail;
  resolve(sent: { providerMessageId: string }): void;
  reject(err: unknown): void;
}

/** For each member asked about: its provider id, or why the provider refused it for good. */
type Delivery = Map<string, string | EmailRejectedError>;

/**
 * Sends the e-mails that arrive within a few milliseconds of each other (a bulk run asks dozens of
 * invoices at once) as one request of up to the provider's limit. Each batch is written down with
 * its exact messages before it goes, so a retry — from this worker or another after a crash —
 * repeats the identical request under the same key and the provider answers it without sending
 * again. E-mails with attachments, which batches do not carry, go one by one.
 */
export function createBatchingMailer({ sql, provider, windowMs = 20 }: { sql: Sql; provider: BatchMailer; windowMs?: number }): Mailer {
  let waiting: Waiting[] = [];
  let timer: NodeJS.Timeout | undefined;
  const delivering = new Map<number, Promise<Delivery>>();

  const batchKey = (id: number) => `relance-batch-${id}`;

  async function sendWhole(batch: EmailBatch): Promise<string[]> {
    const emails = batch.members.map((m) => ({ ...m.message!, idempotencyKey: m.idempotencyKey }));
    if (emails.length > 1) return provider.sendBatch(emails, batchKey(batch.id));
    return [(await provider.send({ ...emails[0]!, attachments: [] })).providerMessageId];
  }

  /** A refused batch was sent to no one: its members go alone, each under its own key, so the good ones still go and the bad one is named. */
  async function sendEachAlone(batch: EmailBatch): Promise<Delivery> {
    const delivery: Delivery = new Map();
    const sent = new Map<string, string>();
    const attempts = await Promise.allSettled(batch.members.map(async (m) => {
      if (m.providerMessageId) return void delivery.set(m.idempotencyKey, m.providerMessageId);
      if (batch.members.length === 1) return void delivery.set(m.idempotencyKey, new EmailRejectedError(batch.rejection!));
      try {
        const { providerMessageId } = await provider.send({ ...m.message!, idempotencyKey: m.idempotencyKey, attachments: [] });
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

  async function deliverOnce(batchId: number): Promise<Delivery> {
    let batch = await emailBatch(sql, batchId);
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

  /** One delivery of a batch at a time in this process: its waiting members share it. */
  function deliver(batchId: number): Promise<Delivery> {
    let pending = delivering.get(batchId);
    if (!pending) {
      pending = deliverOnce(batchId).finally(() => delivering.delete(batchId));
      delivering.set(batchId, pending);
    }
    return pending;
  }

  async function dispatch(taken: Waiting[]): Promise<void> {
    try {
      const batches = await placeInBatch(sql, taken.map(({ email: { idempotencyKey, ...message } }) => ({ idempotencyKey, message })));
      await Promise.all(taken.map(async (w) => {
        try {
          const outcome = (await deliver(batches.get(w.email.idempotencyKey)!)).get(w.email.idempotencyKey)!;
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
      if (email.attachments.length) return provider.send(email);
      const { attachments: _none, ...batchable } = email;
      return new Promise((resolve, reject) => {
        waiting.push({ email: batchable, resolve, reject });
        if (waiting.length >= provider.batchLimit) flush();
        else timer ??= setTimeout(flush, windowMs);
      });
    },
  };
}
