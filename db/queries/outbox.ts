import type { ISql } from '../client.js';

export interface OutboxMessage {
  idempotencyKey: string;
  from: string;
  to: string[];
  subject: string;
  html: string;
}

/** Stores a message once per idempotency key and returns its id. */
export async function putInOutbox(sql: ISql, m: OutboxMessage): Promise<number> {
  const [row] = await sql<{ id: number }[]>`
    with ins as (
      insert into outbox (idempotency_key, mail_from, mail_to, subject, html)
      values (${m.idempotencyKey}, ${m.from}, ${m.to}, ${m.subject}, ${m.html})
      on conflict (idempotency_key) do nothing returning id)
    select id from ins union all select id from outbox where idempotency_key = ${m.idempotencyKey} limit 1`;
  return row!.id;
}
