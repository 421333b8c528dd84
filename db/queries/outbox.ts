import type { ISql } from '../client.js';

/** An e-mail as Relance sends it: the one type of the mailers, the outbox and the batches. */
export interface OutgoingEmail {
  from: string;
  to: string[];
  subject: string;
  html: string;
  attachments: { filename: string; content: Uint8Array }[];
  /** Same key, same message: the provider (or the outbox) sends it once. */
  idempotencyKey: string;
}

/** One without attachments: what a batch carries and the outbox keeps. */
export type EmailWithoutAttachments = Omit<OutgoingEmail, 'attachments'>;

/** Stores a message once per idempotency key and returns its id. */
export async function putInOutbox(sql: ISql, m: EmailWithoutAttachments): Promise<number> {
  const [row] = await sql<{ id: number }[]>`
    with ins as (
      insert into outbox (idempotency_key, mail_from, mail_to, subject, html)
      values (${m.idempotencyKey}, ${m.from}, ${m.to}, ${m.subject}, ${m.html})
      on conflict (idempotency_key) do nothing returning id)
    select id from ins union all select id from outbox where idempotency_key = ${m.idempotencyKey} limit 1`;
  return row!.id;
}
