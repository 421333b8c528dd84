import type { ISql } from '../client.js';

export interface FollowUpEvent {
  invoiceId: number;
  kind: string;
  level?: number | null;
  message: string;
  actor?: string;
  /** Makes a retried write a no-op. */
  dedupeKey?: string | null;
  /** Epoch ms; defaults to the database's clock. */
  occurredAt?: number;
}

export async function insertEvent(sql: ISql, e: FollowUpEvent): Promise<void> {
  await sql`
    insert into follow_up_events (invoice_id, kind, level, message, actor, dedupe_key, occurred_at)
    values (${e.invoiceId}, ${e.kind}, ${e.level ?? null}, ${e.message}, ${e.actor ?? 'system'}, ${e.dedupeKey ?? null},
            ${e.occurredAt === undefined ? sql`now()` : new Date(e.occurredAt)})
    on conflict (dedupe_key) do nothing`;
}

/** The invoice itself went to the customer (source 001's automatic "document sent"), once per invoice. */
export async function recordDocumentSent(sql: ISql, invoiceId: number, sentOn: string, actor: string): Promise<void> {
  await insertEvent(sql, {
    invoiceId, kind: 'document_sent', message: `Invoice sent to the customer on ${sentOn}`, actor,
    dedupeKey: `invoice-${invoiceId}-document-sent`,
    // Noon UTC falls on that calendar day in the company's time zone, wherever in Europe.
    occurredAt: Date.parse(`${sentOn}T12:00:00Z`),
  });
}

export interface TimelineEntry {
  id: number;
  kind: string;
  level: number | null;
  message: string;
  actor: string;
  occurredAt: Date;
}

export async function timelineOf(sql: ISql, invoiceId: number): Promise<TimelineEntry[]> {
  return sql<TimelineEntry[]>`
    select id, kind, level, message, actor, occurred_at as "occurredAt"
    from follow_up_events where invoice_id = ${invoiceId} order by occurred_at, id`;
}
