import { Resend, type ErrorResponse } from 'resend';
import type { EmailWithoutAttachments } from '../../db/queries/outbox.js';
import { EmailRejectedError, type BatchMailer } from './mailer.js';

// Worth another try later: rate limits, provider outages, an idempotent request still in flight.
const TRANSIENT_STATUS = new Set([408, 409, 429]);

/**
 * Each e-mail carries its own idempotency key as a tag, so one found in Resend's dashboard (or in
 * a webhook) leads back to its reminder even when it went out in a batch.
 */
const tagged = (email: EmailWithoutAttachments) => ({
  from: email.from, to: email.to, subject: email.subject, html: email.html,
  tags: [{ name: 'relance_key', value: email.idempotencyKey.replace(/[^\w-]/g, '_') }],
});

function failure(error: ErrorResponse | null): Error {
  const status = error?.statusCode ?? null;
  const message = `Resend ${status ?? 'unreachable'}: ${error?.name ?? 'error'}: ${error?.message ?? 'no detail'}`;
  return status === null || status >= 500 || TRANSIENT_STATUS.has(status) ? new Error(message) : new EmailRejectedError(message);
}

export function createResendMailer(options: { apiKey: string; baseUrl?: string }): BatchMailer {
  const resend = new Resend(options.apiKey, options.baseUrl ? { baseUrl: options.baseUrl } : undefined);
  return {
    kind: 'resend',
    batchLimit: 100,
    async send(email) {
      const { data, error } = await resend.emails.send(
        { ...tagged(email), attachments: email.attachments.map((a) => ({ filename: a.filename, content: Buffer.from(a.content) })) },
        { idempotencyKey: email.idempotencyKey },
      );
      if (data) return { providerMessageId: data.id };
      throw failure(error);
    },
    async sendBatch(emails, idempotencyKey) {
      const { data, error } = await resend.batch.send(emails.map(tagged), { idempotencyKey });
      if (data) return data.data.map((d) => d.id);
      throw failure(error);
    },
  };
}
