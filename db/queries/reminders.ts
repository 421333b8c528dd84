import type { Fragment, ISql, Sql } from '../client.js';
import { eventInsert, insertEvent, type FollowUpEvent } from './events.js';
import { lastLevelUpdate } from './invoices.js';

export type ReminderStatus = 'pending' | 'prepared' | 'sent' | 'failed';

export interface ReminderClaim {
  id: number;
  status: ReminderStatus;
  idempotencyKey: string;
  sentAt: Date | null;
}

/**
 * Takes the (invoice, level) slot before anything is sent. A slot already sent is returned as is
 * (nothing goes out twice); a failed one is reopened as a new attempt with a new idempotency key.
 */
export async function claimReminder(sql: ISql, r: ReminderSlotRequest): Promise<ReminderClaim> {
  const [claimed] = await sql<ReminderClaim[]>`${claimInsert(sql, r)}`;
  return claimed ?? existingClaim(sql, r);
}

/**
 * The same claim, and in the same statement (one round trip) the select list `reading`: what the
 * reminder needs next, read from the snapshot the claim was judged on.
 */
export async function claimReminderReading<T extends object>(sql: ISql, r: ReminderSlotRequest, reading: Fragment): Promise<{ claim: ReminderClaim; read: T }> {
  const [row] = await sql<({ claimed: (Omit<ReminderClaim, 'sentAt'> & { sentAt: string | null }) | null } & T)[]>`
    with claimed as (${claimInsert(sql, r)})
    select (select json_build_object('id', id, 'status', status, 'idempotencyKey', "idempotencyKey", 'sentAt', "sentAt") from claimed) as claimed, ${reading}`;
  const { claimed, ...read } = row!;
  const claim = claimed ? { ...claimed, sentAt: claimed.sentAt === null ? null : new Date(claimed.sentAt) } : await existingClaim(sql, r);
  return { claim, read: read as unknown as T };
}

export interface ReminderSlotRequest {
  invoiceId: number; level: number; stepId: number; stepName: string; channel: 'email' | 'letter' | 'both'; attachPdf: boolean;
  runId: number | null; actor: string; userId: number | null; note: string | null; nextPlannedOn: string | null;
}

const claimInsert = (sql: ISql, r: ReminderSlotRequest) => sql`
  insert into reminders (invoice_id, level, step_id, step_name, channel, attach_pdf, run_id, performed_by, user_id, note, next_planned_on, idempotency_key)
  values (${r.invoiceId}, ${r.level}, ${r.stepId}, ${r.stepName}, ${r.channel}, ${r.attachPdf}, ${r.runId}, ${r.actor}, ${r.userId}, ${r.note}, ${r.nextPlannedOn}, ${`relance-${r.invoiceId}-${r.level}-1`})
  on conflict (invoice_id, level) do update
    set status = 'pending', failure_reason = null, attempt = reminders.attempt + 1,
        idempotency_key = 'relance-' || reminders.invoice_id || '-' || reminders.level || '-' || (reminders.attempt + 1),
        channel = excluded.channel, attach_pdf = excluded.attach_pdf, run_id = excluded.run_id,
        performed_by = excluded.performed_by, user_id = excluded.user_id, note = excluded.note, next_planned_on = excluded.next_planned_on
    where reminders.status = 'failed'
  returning id, status, idempotency_key as "idempotencyKey", sent_at as "sentAt"`;

/** The slot is taken (sent, prepared or being sent): it is returned as it stands. */
async function existingClaim(sql: ISql, r: { invoiceId: number; level: number }): Promise<ReminderClaim> {
  const [existing] = await sql<ReminderClaim[]>`
    select id, status, idempotency_key as "idempotencyKey", sent_at as "sentAt"
    from reminders where invoice_id = ${r.invoiceId} and level = ${r.level}`;
  return existing!;
}

/** The reminders an invoice received before a level, oldest first: what a text may say was already sent. */
export const remindersBeforeJson = (sql: ISql, invoiceId: number, level: number) => sql`
  (select coalesce(json_agg(json_build_object('stepName', r.step_name, 'sentAt', r.sent_at) order by r.level), '[]')
   from reminders r where r.invoice_id = ${invoiceId} and r.level < ${level} and r.status = 'sent')`;

/** The rows of `remindersBeforeJson`: JSON carries the instant each was sent as text. */
export const sentReminders = (json: { stepName: string; sentAt: string }[]): { stepName: string; sentAt: Date }[] =>
  json.map((r) => ({ stepName: r.stepName, sentAt: new Date(r.sentAt) }));

/** How a claimed reminder ended: sent (its invoice's level advances), kept as a letter to print, or failed. */
export type ReminderEnd =
  | { status: 'sent'; recipients: string[]; subject: string; html: string; providerMessageId: string; at: number }
  | { status: 'prepared' }
  | { status: 'failed'; reason: string; recipients: string[] };

function endColumns(sql: ISql, end: ReminderEnd): Fragment {
  switch (end.status) {
    case 'sent':
      return sql`status = 'sent', recipients = ${end.recipients}, subject = ${end.subject}, html = ${end.html},
        provider_message_id = ${end.providerMessageId}, sent_at = coalesce(sent_at, ${new Date(end.at)})`;
    case 'prepared':
      return sql`status = 'prepared'`;
    case 'failed':
      return sql`status = 'failed', failure_reason = ${end.reason}, recipients = ${end.recipients}`;
  }
}

/**
 * Records how a claimed reminder ended with its timeline entry, and for a sent one its invoice's
 * level, in one statement: one round trip, all of it or none. Returns when it was sent and the
 * date it planned next, as stored.
 */
export async function recordReminderEnd(
  sql: ISql, reminder: { id: number; invoiceId: number; level: number }, end: ReminderEnd, entry: FollowUpEvent,
): Promise<{ sentAt: Date | null; nextPlannedOn: string | null }> {
  const [row] = await sql<{ sentAt: Date | null; nextPlannedOn: string | null }[]>`
    with marked as (update reminders set ${endColumns(sql, end)} where id = ${reminder.id} returning sent_at, next_planned_on),
    ${end.status === 'sent'
      ? sql`levelled as (${lastLevelUpdate(sql, reminder.invoiceId, reminder.level, sql`(select sent_at from marked)`)}),`
      : sql``}
    logged as (${eventInsert(sql, entry)})
    select sent_at as "sentAt", next_planned_on as "nextPlannedOn" from marked`;
  return { sentAt: row?.sentAt ?? null, nextPlannedOn: row?.nextPlannedOn ?? null };
}

export interface ReminderRow {
  id: number;
  level: number;
  stepName: string;
  channel: string;
  status: string;
  failureReason: string | null;
  recipients: string[];
  subject: string | null;
  note: string | null;
  performedBy: string;
  sentAt: Date | null;
  nextPlannedOn: string | null;
  providerMessageId: string | null;
  createdAt: Date;
}

export async function remindersOf(sql: ISql, invoiceId: number): Promise<ReminderRow[]> {
  return sql<ReminderRow[]>`
    select id, level, step_name as "stepName", channel, status, failure_reason as "failureReason", recipients,
           subject, note, performed_by as "performedBy", sent_at as "sentAt", next_planned_on as "nextPlannedOn",
           provider_message_id as "providerMessageId", created_at as "createdAt"
    from reminders where invoice_id = ${invoiceId} order by level`;
}

export interface SentMessage {
  id: number;
  /** One invoice, or every invoice of a customer statement (one e-mail, one row). */
  invoiceNumbers: string[];
  customerName: string;
  level: number;
  stepName: string;
  status: 'pending' | 'sent' | 'failed';
  recipients: string[];
  subject: string | null;
  providerMessageId: string | null;
  failureReason: string | null;
  performedBy: string;
  at: Date;
  deliveryStatus: string | null;
  deliveryDetail: string | null;
  /** The e-mail carried the invoice's PDF. */
  withPdf: boolean;
}

/** The e-mails sent or refused, newest first; `before` pages by id so the list stays fast however long. */
export async function sentMessages(sql: ISql, f: { status?: 'sent' | 'failed'; before?: number; limit: number }): Promise<SentMessage[]> {
  return sql<SentMessage[]>`
    select r.id, coalesce(st.numbers, array[i.number]) as "invoiceNumbers", c.name as "customerName", r.level, r.step_name as "stepName", r.status,
           r.recipients, r.subject, r.provider_message_id as "providerMessageId", r.failure_reason as "failureReason",
           r.performed_by as "performedBy", coalesce(r.sent_at, r.created_at) as at,
           r.delivery_status as "deliveryStatus", r.delivery_detail as "deliveryDetail", r.attach_pdf and r.statement_id is null as "withPdf"
    from reminders r join invoices i on i.id = r.invoice_id join customers c on c.id = i.customer_id
    left join lateral (
      select array_agg(i2.number order by i2.number) as numbers, min(r2.id) as first
      from reminders r2 join invoices i2 on i2.id = r2.invoice_id where r2.statement_id = r.statement_id) st on r.statement_id is not null
    where r.channel = 'email' and r.status <> 'pending' and (r.statement_id is null or r.id = st.first)
      ${f.status ? sql`and r.status = ${f.status}` : sql``}
      ${f.before ? sql`and r.id < ${f.before}` : sql``}
    order by r.id desc limit ${f.limit}`;
}

export async function sentMessageHtml(sql: ISql, id: number): Promise<string | undefined> {
  const [row] = await sql<{ html: string | null }[]>`select html from reminders where id = ${id}`;
  return row?.html ?? undefined;
}

/**
 * Records a reminder made by hand at a level, replacing a failed attempt at that level; refused
 * (undefined) when the level was already sent or is being sent.
 */
export async function recordManualReminder(
  sql: ISql,
  r: { invoiceId: number; level: number; stepId: number; stepName: string; actor: string; note: string; nextPlannedOn: string | null; at: Date },
): Promise<number | undefined> {
  const [row] = await sql<{ id: number }[]>`
    insert into reminders (invoice_id, level, step_id, step_name, channel, status, performed_by, note, next_planned_on, sent_at, idempotency_key)
    values (${r.invoiceId}, ${r.level}, ${r.stepId}, ${r.stepName}, 'manual', 'sent', ${r.actor}, ${r.note}, ${r.nextPlannedOn}, ${r.at},
            ${`manual-${r.invoiceId}-${r.level}`})
    on conflict (invoice_id, level) do update
      set channel = 'manual', status = 'sent', failure_reason = null, performed_by = excluded.performed_by, note = excluded.note,
          next_planned_on = excluded.next_planned_on, sent_at = excluded.sent_at, idempotency_key = excluded.idempotency_key
      where reminders.status = 'failed'
    returning id`;
  return row?.id;
}

/** A letter rendered and stored, waiting for its download to count as sent. */
/**
 * Marks prepared letters as sent when they are downloaded for printing, once: the level advances,
 * the timeline says so. Returns the invoices whose workflows must hear of it.
 */
export async function markLettersPrinted(sql: Sql, which: { runId: number } | { reminderId: number }, actor: string): Promise<number[]> {
  return sql.begin(async (tx) => {
    const printed = await tx<{ id: number; invoiceId: number; level: number; stepName: string; sentAt: Date }[]>`
      update reminders set status = 'sent', sent_at = now()
      where status = 'prepared' and ${'runId' in which
        ? tx`run_id = ${which.runId}`
        : // A statement's letter is one document for all its reminders.
          tx`(id = ${which.reminderId} or statement_id = (select statement_id from reminders where id = ${which.reminderId}))`}
      returning id, invoice_id as "invoiceId", level, step_name as "stepName", sent_at as "sentAt"`;
    for (const r of printed) {
      await tx`update invoices set last_level = greatest(last_level, ${r.level}), last_reminded_at = ${r.sentAt} where id = ${r.invoiceId}`;
      await insertEvent(tx, { invoiceId: r.invoiceId, kind: 'letter_printed', level: r.level, params: { step: r.stepName }, actor, dedupeKey: `reminder-${r.id}-printed` });
    }
    return [...new Set(printed.map((r) => r.invoiceId))];
  });
}

/**
 * Keeps the tracking number of a letter posted as registered mail on its reminder, and writes it on
 * the timeline. Returns false when the invoice has no letter at that level.
 */
export async function recordTrackingNumber(sql: Sql, r: { invoiceId: number; level: number; trackingNumber: string; actor: string }): Promise<boolean> {
  return sql.begin(async (tx) => {
    const [row] = await tx<{ id: number; stepName: string }[]>`
      update reminders set tracking_number = ${r.trackingNumber}
      where invoice_id = ${r.invoiceId} and level = ${r.level} and channel = 'letter'
      returning id, step_name as "stepName"`;
    if (!row) return false;
    await insertEvent(tx, { invoiceId: r.invoiceId, kind: 'tracking_recorded', level: r.level, params: { step: row.stepName, trackingNumber: r.trackingNumber }, actor: r.actor });
    return true;
  });
}
