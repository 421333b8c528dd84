export interface OutgoingEmail {
  from: string;
  to: string[];
  subject: string;
  html: string;
  attachments: { filename: string; content: Uint8Array }[];
  /** Same key, same message: the provider (or the outbox) sends it once. */
  idempotencyKey: string;
}

export interface Mailer {
  readonly kind: 'resend' | 'outbox';
  send(email: OutgoingEmail): Promise<{ providerMessageId: string }>;
}

/** The provider refused the message for good (invalid recipient, rejected content): retrying will not help. */
export class EmailRejectedError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'EmailRejectedError';
  }
}
