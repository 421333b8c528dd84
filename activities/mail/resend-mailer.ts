import { Resend } from 'resend';
import { EmailRejectedError, type Mailer } from './mailer.js';

// Worth another try later: rate limits, provider outages, an idempotent request still in flight.
const TRANSIENT_STATUS = new Set([408, 409, 429]);

export function createResendMailer(options: { apiKey: string; baseUrl?: string }): Mailer {
  const resend = new Resend(options.apiKey, options.baseUrl ? { baseUrl: options.baseUrl } : undefined);
  return {
    kind: 'resend',
    async send(email) {
      const { data, error } = await resend.emails.send(
        {
          from: email.from, to: email.to, subject: email.subject, html: email.html,
          attachments: email.attachments.map((a) => ({ filename: a.filename, content: Buffer.from(a.content) })),
        },
        { idempotencyKey: email.idempotencyKey },
      );
      if (data) return { providerMessageId: data.id };
      const status = (error as { statusCode?: number | null } | null)?.statusCode ?? null;
      const message = `Resend ${status ?? 'unreachable'}: ${error?.name ?? 'error'}: ${error?.message ?? 'no detail'}`;
      if (status === null || status >= 500 || TRANSIENT_STATUS.has(status)) throw new Error(message);
      throw new EmailRejectedError(message);
    },
  };
}
