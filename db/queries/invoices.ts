import type { Fragment, ISql, Sql, TransactionSql } from '../client.js';
import type { Installment } from '../../workflows/schedule/payment-terms.js';
import type { DunnableFacts } from '../../workflows/schedule/dunnable.js';
import type { PendingPromise } from '../../workflows/schedule/promise.js';
import type { CatchUp } from '../../workflows/schedule/plan.js';
import { amountsOwed, type InvoiceAmounts } from '../../workflows/schedule/amounts-owed.js';
import type { InvoiceLine } from '../../workflows/schedule/invoice-lines.js';
import { insertEvent, type PauseCause } from './events.js';
import { replaceInvoiceLines } from './invoice-lines.js';
import { configurationVersionSql } from './configuration-version.js';

export type InvoiceStatus = 'open' | 'paid' | 'cancelled';

export interface InvoiceWrite {
  number: string;
  customerId: number;
  issueDate: string;
  dueDate: string | null;
  currency: string;
  totalCents: number;
  status: 'open' | 'cancelled';
  installments: Installment[];
  /** The invoice's lines, replacing those stored; left as they are when not given. */
  lines?: readonly InvoiceLine[];
  /** The named terms its due date or installments were computed from. */
  paymentTermsId?: number | null;
}

/** Inserts or updates an invoice and replaces its installments (and its lines, when given); call inside a transaction. */
export async function upsertInvoice(sql: ISql, inv: InvoiceWrite): Promise<{ id: number; created: boolean; stopped: boolean }> {
  const [row] = await sql<{ id: number; created: boolean; stopped: boolean }[]>`
    insert into invoices (number, customer_id, issue_date, due_date, currency, total_cents, status, payment_terms_id)
    values (${inv.number}, ${inv.customerId}, ${inv.issueDate}, ${inv.dueDate}, ${inv.currency}, ${inv.totalCents}, ${inv.status}, ${inv.paymentTermsId ?? null})
    on conflict (number) do update set customer_id = excluded.customer_id, issue_date = excluded.issue_date, payment_terms_id = excluded.payment_terms_id,
      due_date = excluded.due_date, currency = excluded.currency, total_cents = excluded.total_cents,
      status = case when excluded.status = 'cancelled' then 'cancelled'
                    when invoices.paid_cents >= excluded.total_cents then 'paid' else 'open' end,
      updated_at = now()
    returning id, (xmax = 0) as created, stopped_at is not null as stopped`;
  const { id } = row!;
  await sql`delete from installments where invoice_id = ${id}`;
  if (inv.installments.length > 0) {
    await sql`insert into installments ${sql(
      inv.installments.map((i) => ({ invoice_id: id, seq: i.seq, due_date: i.dueDate, amount_cents: i.amountCents, label: i.label })),
    )}`;
  }
  if (inv.lines) await replaceInvoiceLines(sql, id, inv.lines);
  return row!;
}

export interface InvoiceFactsRow {
  id: number;
  number: string;
  customerId: number;
  customerRef: string;
  status: 'open' | 'paid' | 'cancelled';
  totalCents: number;
  paidCents: number;
  paused: boolean;
  customerPaused: boolean;
  excluded: boolean;
  policyId: number | null;
  issueDate: string;
  currency: string;
  dueDate: string | null;
  installments: Installment[];
  /** The invoice's due date, or that of its first installment not yet covered by payments. */
  referenceDueDate: string | null;
  letterToPrint: boolean;
  collectionPending: boolean;
  disputed: boolean;
  promise: PendingPromise | null;
  inStatement: boolean;
  /** The customer's policy sends the day's reminders as one statement. */
  statementMode: boolean;
  /** The customer's policy waits for the day's review to be approved. */
  needsApproval: boolean;
  /** A direct debit returned since the last reminder: the next one goes out at once, with its own text. */
  debitReturn: { reason: string; at: string } | null;
  /** How an invoice entering late catches up (its policy's setting). */
  catchUp: CatchUp;
  /** When a promise to pay was last kept, if after the last reminder: the next step counts from that day. */
  promiseKeptAt: Date | null;
  /** An operator stopped its dunning in Temporal. */
  stopped: boolean;
  /** The customer is a business (owed the recovery indemnity). */
  isBusiness: boolean;
  /** Its highest level sent, if any. */
  lastSent: LastSentReminder | null;
  /** The level the bulk run the facts were read for already performed (or is performing), if any. */
  levelOfRun: number | null;
  /** The configuration's version when these facts were read (`ConfigurationCache.at`). */
  configurationVersion: number;
}

interface LastSentReminder {
  level: number;
  sentAt: Date;
  nextPlannedOn: string | null;
}

/** The facts the dunning rules judge an invoice by (workflows/schedule/dunnable.ts). */
export function dunnableFacts(inv: InvoiceFactsRow, minimumBalanceCents: number): DunnableFacts {
  return {
    status: inv.status,
    balanceCents: inv.totalCents - inv.paidCents,
    paused: inv.paused,
    customerPaused: inv.customerPaused,
    excluded: inv.excluded,
    minimumBalanceCents,
    letterToPrint: inv.letterToPrint,
    collectionPending: inv.collectionPending,
    disputed: inv.disputed,
    promise: inv.promise,
    inStatement: inv.inStatement,
    stopped: inv.stopped,
  };
}

/** With a bulk run's id, also the level that run already performed for the invoice (`levelOfRun`). */
export async function invoiceFacts(sql: ISql, invoiceId: number, runId?: number): Promise<InvoiceFactsRow | undefined> {
  return (await invoicesFacts(sql, [invoiceId], runId))[0];
}

export async function invoicesFacts(sql: ISql, invoiceIds: readonly number[], runId?: number): Promise<InvoiceFactsRow[]> {
  const rows = await sql<(Omit<InvoiceFactsRow, 'referenceDueDate' | 'lastSent'> & { lastSent: (Omit<LastSentReminder, 'sentAt'> & { sentAt: string }) | null })[]>`
    select i.id, i.number, i.customer_id as "customerId", c.ref as "customerRef", i.status, i.total_cents as "totalCents",
           i.paid_cents as "paidCents", i.paused, c.paused as "customerPaused", c.dunning_excluded as excluded,
           pol.id as "policyId", i.stopped_at is not null as stopped, c.is_business as "isBusiness",
           i.issue_date as "issueDate", i.currency,
           i.due_date as "dueDate", ${installmentsJson(sql)} as installments,
           exists (select 1 from reminders r where r.invoice_id = i.id and r.status = 'prepared') as "letterToPrint",
           exists (select 1 from sepa_run_items s where s.invoice_id = i.id and s.outcome = 'pending') as "collectionPending",
           exists (select 1 from disputes d where d.invoice_id = i.id and d.closed_at is null) as disputed,
           (select json_build_object('id', p.id, 'amountCents', p.amount_cents, 'promisedOn', p.promised_on, 'balanceCents', p.balance_cents)
              from payment_promises p where p.invoice_id = i.id and p.outcome is null) as promise,
           (select json_build_object('reason', s.reason, 'at', s.settled_at) from sepa_run_items s
              where s.invoice_id = i.id and s.outcome = 'rejected'
                and s.settled_at > coalesce((select max(r.sent_at) from reminders r where r.invoice_id = i.id and r.status = 'sent'), '-infinity')
              order by s.settled_at desc limit 1) as "debitReturn",
           (select max(p.settled_at) from payment_promises p where p.invoice_id = i.id and p.outcome = 'kept'
              and p.settled_at > coalesce((select max(r.sent_at) from reminders r where r.invoice_id = i.id and r.status = 'sent'), '-infinity')) as "promiseKeptAt",
           exists (select 1 from statement_items si where si.invoice_id = i.id and si.outcome = 'pending') as "inStatement",
           coalesce(pol.statement_mode, false) as "statementMode", coalesce(pol.needs_approval, false) as "needsApproval",
           coalesce(pol.catch_up, 'first_step') as "catchUp",
           (select json_build_object('level', r.level, 'sentAt', r.sent_at, 'nextPlannedOn', r.next_planned_on) from reminders r
              where r.invoice_id = i.id and r.status = 'sent' order by r.level desc limit 1) as "lastSent",
           ${configurationVersionSql(sql)} as "configurationVersion",
           ${runId === undefined ? sql`null::int` : sql`(select max(r.level) from reminders r where r.invoice_id = i.id and r.run_id = ${runId})`} as "levelOfRun"
    from invoices i join customers c on c.id = i.customer_id
    left join policies pol on pol.id = coalesce(c.policy_id, (select id from policies where is_default))
    where ${oneOrMany(sql, invoiceIds)}`;
  // The first unpaid installment does not depend on the day: any day will do.
  return rows.map((r) => ({
    ...r,
    referenceDueDate: amountsOwed(r, r.issueDate).firstUnpaid?.dueDate ?? r.dueDate,
    lastSent: r.lastSent && { ...r.lastSent, sentAt: new Date(r.lastSent.sentAt) },
  }));
}

/**
 * One invoice by `=`, so its prepared statement's generic plan is costed for one row and PostgreSQL
 * keeps it instead of planning every reminder's read again; a page of them by `any`.
 */
const oneOrMany = (sql: ISql, invoiceIds: readonly number[]) =>
  invoiceIds.length === 1 ? sql`i.id = ${invoiceIds[0]!}` : sql`i.id = any(${invoiceIds as number[]})`;

/** What recording a reminder wrote that `invoicesFacts` reads: sent at an instant, kept as a letter to print, or failed. */
export type RecordedReminder =
  | { status: 'sent'; level: number; sentAt: Date; nextPlannedOn: string | null }
  | { status: 'prepared' }
  | { status: 'failed' };

/**
 * The invoice's facts row as `invoicesFacts` reads it once this reminder is recorded, from the row
 * read before it: the reminder's own effect and nothing else. Another writer (a payment, an edit)
 * wakes the invoice's workflow, which then reads its facts again.
 */
export function factsRowAfterReminder(row: InvoiceFactsRow, recorded: RecordedReminder): InvoiceFactsRow {
  if (recorded.status === 'failed') return row;
  if (recorded.status === 'prepared') return { ...row, letterToPrint: true };
  const { level, sentAt, nextPlannedOn } = recorded;
  // A debit return or a kept promise counts only when it came after the last reminder sent.
  const afterIt = (at: number) => at > sentAt.getTime();
  return {
    ...row,
    lastSent: row.lastSent && row.lastSent.level > level ? row.lastSent : { level, sentAt, nextPlannedOn },
    debitReturn: row.debitReturn && afterIt(Date.parse(row.debitReturn.at)) ? row.debitReturn : null,
    promiseKeptAt: row.promiseKeptAt && afterIt(row.promiseKeptAt.getTime()) ? row.promiseKeptAt : null,
  };
}

/** An invoice's installments as one JSON array, in their order (`i` is the invoice). */
export const installmentsJson = (sql: ISql) => sql`(select coalesce(json_agg(json_build_object('seq', s.seq, 'dueDate', s.due_date, 'amountCents', s.amount_cents, 'label', s.label) order by s.seq), '[]')
             from installments s where s.invoice_id = i.id)`;

/**
 * An operator stopped the invoice's workflow in Temporal (cancel, or a terminate the repair pass
 * found): written down once with its timeline entry; a second report of the same stop writes nothing.
 */
export async function recordOperatorStop(sql: Sql, s: { invoiceId: number; how: 'cancelled' | 'terminated'; at: number }): Promise<void> {
  await sql.begin(async (tx) => {
    const [stopped] = await tx<{ id: number }[]>`
      update invoices set stopped_at = ${new Date(s.at)}, stopped_reason = ${s.how}
      where id = ${s.invoiceId} and stopped_at is null and status = 'open' returning id`;
    if (!stopped) return;
    await insertEvent(tx, {
      invoiceId: s.invoiceId, kind: 'dunning_stopped', actor: 'operator (Temporal)', occurredAt: s.at,
      params: { how: s.how },
    });
  });
}

/** Lifts an operator's stop; the caller then starts the workflow again. False when the invoice was not stopped. */
export async function liftOperatorStop(sql: Sql, invoiceId: number, actor: string): Promise<boolean> {
  return sql.begin(async (tx) => {
    const [lifted] = await tx<{ id: number }[]>`update invoices set stopped_at = null, stopped_reason = null where id = ${invoiceId} and stopped_at is not null returning id`;
    if (!lifted) return false;
    await insertEvent(tx, { invoiceId, kind: 'resumed', actor, params: { afterStop: true } });
    return true;
  });
}

export async function setInvoicePaused(sql: ISql, invoiceId: number, paused: boolean, reason: string | null): Promise<void> {
  await sql`update invoices set paused = ${paused}, pause_reason = ${reason}, updated_at = now() where id = ${invoiceId}`;
}

/** An operator's stop of a run reaches its invoices: each paused with the reason, on its timeline, until resumed. */
export async function pauseInvoices(tx: TransactionSql, invoiceIds: readonly number[], reason: string, cause: PauseCause, actor: string): Promise<void> {
  for (const invoiceId of invoiceIds) {
    await setInvoicePaused(tx, invoiceId, true, reason);
    await insertEvent(tx, { invoiceId, kind: 'paused', actor, params: { reason, cause } });
  }
}

export interface InvoiceSummary {
  id: number;
  number: string;
  customerId: number;
  customerRef: string;
  customerName: string;
  issueDate: string;
  dueDate: string | null;
  currency: string;
  totalCents: number;
  paidCents: number;
  status: InvoiceStatus;
  paused: boolean;
  pauseReason: string | null;
  /** When an operator stopped its dunning in Temporal; null unless stopped. */
  stoppedAt: Date | null;
  /** The named terms its due date was computed from, if any. */
  paymentTermsName: string | null;
}

export async function invoiceByNumber(sql: ISql, number: string): Promise<InvoiceSummary | undefined> {
  const [row] = await sql<InvoiceSummary[]>`
    select i.id, i.number, i.customer_id as "customerId", c.ref as "customerRef", c.name as "customerName", i.issue_date as "issueDate",
           i.due_date as "dueDate", i.currency, i.total_cents as "totalCents", i.paid_cents as "paidCents",
           i.status, i.paused, i.pause_reason as "pauseReason", i.stopped_at as "stoppedAt",
           (select name from payment_terms t where t.id = i.payment_terms_id) as "paymentTermsName"
    from invoices i join customers c on c.id = i.customer_id where i.number = ${number}`;
  return row;
}

export async function installmentsOf(sql: ISql, invoiceId: number): Promise<Installment[]> {
  return sql<Installment[]>`
    select seq, due_date as "dueDate", amount_cents as "amountCents", label from installments
    where invoice_id = ${invoiceId} order by seq`;
}

export interface OverdueLine {
  number: string;
  dueDate: string;
  currency: string;
  balanceCents: number;
}

export type OpenBalance = InvoiceAmounts & { number: string; currency: string };

/** The customer's open invoices with a balance, as a JSON array a larger statement can read with the rest. */
export const openBalancesJson = (sql: ISql, customerId: number) => sql`
  (select coalesce(json_agg(json_build_object('number', i.number, 'currency', i.currency, 'issueDate', i.issue_date, 'dueDate', i.due_date,
                                              'totalCents', i.total_cents, 'paidCents', i.paid_cents, 'installments', ${installmentsJson(sql)})), '[]')
   from invoices i where i.customer_id = ${customerId} and i.status = 'open' and i.total_cents > i.paid_cents)`;

/** Of the customer's open invoices, those with installments due by today, each with what is due and since when. */
export function overdueLines(open: readonly OpenBalance[], today: string): OverdueLine[] {
  return open
    .map((inv) => ({ inv, owed: amountsOwed(inv, today) }))
    .filter(({ owed }) => owed.dueCents > 0)
    .map(({ inv, owed }) => ({ number: inv.number, currency: inv.currency, dueDate: owed.firstUnpaid!.dueDate, balanceCents: owed.dueCents }))
    .sort((a, b) => a.dueDate.localeCompare(b.dueDate) || a.number.localeCompare(b.number));
}

export async function openInvoiceRefs(sql: ISql): Promise<{ id: number; number: string; customerRef: string }[]> {
  return sql<{ id: number; number: string; customerRef: string }[]>`
    select i.id, i.number, c.ref as "customerRef" from invoices i join customers c on c.id = i.customer_id
    where i.status = 'open' and i.stopped_at is null order by i.id`;
}

/** Of these invoices, those paid or cancelled: their dunning has nothing left to do. */
export async function settledInvoiceIds(sql: ISql, ids: number[]): Promise<number[]> {
  if (ids.length === 0) return [];
  return (await sql<{ id: number }[]>`select id from invoices where id = any(${ids}::bigint[]) and status <> 'open'`).map((r) => Number(r.id));
}

/**
 * Keeps the invoice's last level in step with its reminders, in the reminder's transaction; not yet
 * run: a reminder's record writes it in its own statement.
 */
export function lastLevelUpdate(sql: ISql, invoiceId: number, level: number, at: Date | Fragment) {
  return sql`update invoices set last_level = greatest(last_level, ${level}), last_reminded_at = ${at} where id = ${invoiceId}`;
}

/** Open invoices whose customer follows the policy, the default one included for customers without their own. */
export async function openInvoiceIdsOfPolicy(sql: ISql, policyId: number): Promise<number[]> {
  const rows = await sql<{ id: number }[]>`
    select i.id from invoices i join customers c on c.id = i.customer_id
    where i.status = 'open' and coalesce(c.policy_id, (select id from policies where is_default)) = ${policyId}`;
  return rows.map((r) => r.id);
}

/** An invoice to preview templates on: the most overdue open one, else the latest. */
export async function sampleInvoiceNumber(sql: ISql): Promise<string | undefined> {
  const [row] = await sql<{ number: string }[]>`
    select number from invoices order by (status = 'open' and total_cents > paid_cents) desc, due_date nulls last, id desc limit 1`;
  return row?.number;
}
