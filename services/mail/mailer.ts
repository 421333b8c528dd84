import type { EmailWithoutAttachments, OutgoingEmail } from '../../db/queries/outbox.js';

export interface Mailer {
  readonly kind: 'resend' | 'outbox';
  send(email: OutgoingEmail): Promise<{ providerMessageId: string }>;
}

/** A provider that also takes many e-mails in one request, under that request's idempotency key. */
export interface BatchMailer extends Mailer {
  readonly batchLimit: number;
  /** The provider ids, in the order of `emails`; all sent or none. */
  sendBatch(emails: EmailWithoutAttachments[], idempotencyKey: string): Promise<string[]>;
}

/** The provider refused the message for good (invalid recipient, rejected content): retrying will not help. */
export class EmailRejectedError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'EmailRejectedError';
  }
}
