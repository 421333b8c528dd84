import type { ISql } from '../client.js';
import type { DeliveryStatus } from './delivery.js';
import type { PaymentMethod } from './payments.js';

/** Why the system paused an invoice, when a person's run was stopped (a person's own pause gives a reason). */
export type PauseCause = { statementCancelled: number; by: string } | { importCancelled: number; by: string };

/**
 * What each kind of timeline entry says, as data: the admin and the API render it in the reader's
 * language (web/timeline-texts.ts), so the stored history keeps its meaning whatever the language.
 */
export interface EventParams {
  note: { text: string };
  document_sent: { sentOn: string };
  reminder_sent: { step: string; recipients: string[]; withPdf?: boolean; alsoByLetter?: boolean; note?: string; statementOf?: number };
  reminder_failed: { step: string; reason: string; inStatement?: boolean };
  letter_prepared: { step: string; note?: string; statementOf?: number };
  letter_printed: { step: string };
  tracking_recorded: { step: string; trackingNumber: string };
  reminder_manual: { step: string; note: string; nextOn?: string };
  payment_received: { amountCents: number; currency: string; method: PaymentMethod; paidOn: string; balanceCents: number };
  paused: { reason: string; wholeCustomer?: boolean; cause?: PauseCause };
  resumed: { wholeCustomer?: boolean; afterStop?: boolean };
  dunning_stopped: { how: 'cancelled' | 'terminated' };
  dunning_repaired: { lastEnded: string | null };
  dunning_litigation: { step: string };
  dunning_completed: Record<string, never>;
  dunning_paid: Record<string, never>;
  dunning_cancelled: Record<string, never>;
  sepa_run_failed: { runId: number; reason: string };
  sepa_run_cancelled: { runId: number; by: string };
  sepa_collection_sent: { amountCents: number; collectionDate?: string; sequence?: string; paymentIntentId?: string };
  sepa_collection_rejected: { reason: string; viaStripe?: boolean };
  dispute_opened: { reason: string; owner: string };
  dispute_assigned: { owner: string };
  dispute_closed: { resolution: string };
  promise_recorded: { amountCents: number; currency: string; promisedOn: string };
  promise_kept: { amountCents: number; currency: string; promisedOn: string };
  promise_broken: { amountCents: number; currency: string; promisedOn: string };
  promise_withdrawn: { amountCents: number; currency: string; promisedOn: string };
  late_charges_issued: { asOf: string; interestCents: number; indemnityCents: number; currency: string };
}

type DeliveryKind = `email_${DeliveryStatus}`;
export type EventKind = keyof EventParams | DeliveryKind;
export type ParamsOf<K extends EventKind> = K extends keyof EventParams ? EventParams[K] : { step: string; detail: string | null };

export type FollowUpEvent<K extends EventKind = EventKind> = {
  [Kind in K]: {
    invoiceId: number;
    kind: Kind;
    params: ParamsOf<Kind>;
    level?: number | null;
    actor?: string;
    /** Makes a retried write a no-op. */
    dedupeKey?: string | null;
    /** Epoch ms; defaults to the database's clock. */
    occurredAt?: number;
  };
}[K];

/**
 * An entry as a workflow scheduled it before entries had parameters: a recordEvent activity still
 * in flight when the worker was upgraded carries its English text instead, kept as it was.
 */
export type LegacyFollowUpEvent = Omit<FollowUpEvent, 'kind' | 'params'> & { kind: string; message: string; params?: undefined };

export async function insertEvent(sql: ISql, e: FollowUpEvent): Promise<void> {
  await eventInsert(sql, e);
}

/** Entries of one kind for many invoices in one statement: a repair pass may start thousands of workflows at once. */
export async function insertEventsOfKind<K extends keyof EventParams>(
  sql: ISql, kind: K, actor: string, entries: { invoiceId: number; params: EventParams[K] }[],
): Promise<void> {
  if (!entries.length) return;
  await sql`
    insert into follow_up_events (invoice_id, kind, params, actor)
    select e.invoice_id, ${kind}, e.params::jsonb, ${actor}
    from unnest(${entries.map((e) => e.invoiceId)}::bigint[], ${entries.map((e) => JSON.stringify(e.params))}::text[]) as e(invoice_id, params)`;
}

export async function insertLegacyEvent(sql: ISql, e: LegacyFollowUpEvent): Promise<void> {
  await entryInsert(sql, e, null, e.message);
}

/**
 * The statement that writes a timeline entry, not yet run: awaited it runs alone, interpolated in
 * another statement (a `with` clause) it is written in the same round trip.
 */
export function eventInsert(sql: ISql, e: FollowUpEvent) {
  return entryInsert(sql, e, sql.json(e.params as never), '');
}

function entryInsert(sql: ISql, e: Omit<FollowUpEvent, 'params' | 'kind'> & { kind: string }, params: unknown, message: string) {
  return sql`
    insert into follow_up_events (invoice_id, kind, level, params, message, actor, dedupe_key, occurred_at)
    values (${e.invoiceId}, ${e.kind}, ${e.level ?? null}, ${params as never}, ${message}, ${e.actor ?? 'system'}, ${e.dedupeKey ?? null},
            ${e.occurredAt === undefined ? sql`now()` : new Date(e.occurredAt)})
    on conflict (dedupe_key) do nothing`;
}

/** The invoice itself went to the customer (source 001's automatic "document sent"), once per invoice. */
export async function recordDocumentSent(sql: ISql, invoiceId: number, sentOn: string, actor: string): Promise<void> {
  await insertEvent(sql, {
    invoiceId, kind: 'document_sent', params: { sentOn }, actor,
    dedupeKey: `invoice-${invoiceId}-document-sent`,
    // Noon UTC falls on that calendar day in the company's time zone, wherever in Europe.
    occurredAt: Date.parse(`${sentOn}T12:00:00Z`),
  });
}

export interface TimelineEntry {
  id: number;
  kind: string;
  level: number | null;
  /** The entry's parameters; null on the entries written before they were kept (their `message` is what they say). */
  params: Record<string, unknown> | null;
  message: string;
  actor: string;
  occurredAt: Date;
}

export async function timelineOf(sql: ISql, invoiceId: number): Promise<TimelineEntry[]> {
  return sql<TimelineEntry[]>`
    select id, kind, level, params, message, actor, occurred_at as "occurredAt"
    from follow_up_events where invoice_id = ${invoiceId} order by occurred_at, id`;
}
