import type { ISql, Sql, TransactionSql } from '../client.js';
import { insertEvent, type FollowUpEvent } from './events.js';
import { applyPayment } from './payments.js';
import type { Sequence } from './mandates.js';
import { installmentsJson } from './invoices.js';
import { amountsOwed, type InvoiceAmounts } from '../../workflows/schedule/amounts-owed.js';

export type SepaFormat = 'pain.008.001.02' | 'pain.008.002.02' | 'pain.008.003.02';

export interface SepaCandidate {
  invoiceId: number;
  number: string;
  customerName: string;
  /** What is collected: the installments due by the collection date (the whole balance of a simple invoice). */
  amountCents: number;
  /** The first of those installments' date. */
  dueDate: string;
  sequence: Sequence;
  reference: string;
  /** The debtor's bank: its account holder and BIC (some formats require the BIC). */
  holder: string;
  bic: string | null;
  /** 'stripe' when the customer is registered with Stripe, which collects it instead of the file. */
  channel: SepaChannel;
}

export type SepaChannel = 'file' | 'stripe';

const channelOf = (sql: ISql) => sql`case when exists (select 1 from stripe_customers l where l.customer_id = c.id) then 'stripe' else 'file' end`;

/**
 * Open EUR invoices of customers with a mandate with something due by the collection date and not
 * already being collected, each for the amount due by then: an installment to come is not debited early.
 */
export async function sepaCandidates(sql: ISql, collectionDate: string, onlyInvoiceIds?: number[]): Promise<SepaCandidate[]> {
  const rows = await sql<(InvoiceAmounts & Omit<SepaCandidate, 'amountCents'>)[]>`
    select i.id as "invoiceId", i.number, c.name as "customerName", i.issue_date as "issueDate", i.due_date as "dueDate",
           i.total_cents as "totalCents", i.paid_cents as "paidCents", ${installmentsJson(sql)} as installments,
           m.sequence, m.reference, m.holder, nullif(m.bic, '') as bic, ${channelOf(sql)} as channel
    from invoices i join customers c on c.id = i.customer_id join mandates m on m.customer_id = c.id and m.signed_on is not null
    where i.status = 'open' and i.total_cents > i.paid_cents and i.currency = 'EUR'
      ${onlyInvoiceIds ? sql`and i.id = any(${onlyInvoiceIds}::bigint[])` : sql``}
      and not exists (select 1 from sepa_run_items s where s.invoice_id = i.id and s.outcome = 'pending')
    order by c.name, i.number`;
  return rows.flatMap(({ issueDate, totalCents, paidCents, installments, ...row }) => {
    const owed = amountsOwed({ issueDate, dueDate: row.dueDate, totalCents, paidCents, installments }, collectionDate);
    return owed.dueCents > 0 ? [{ ...row, amountCents: owed.dueCents, dueDate: owed.firstUnpaid!.dueDate }] : [];
  }).sort((a, b) => a.customerName.localeCompare(b.customerName) || a.dueDate.localeCompare(b.dueDate) || a.number.localeCompare(b.number));
}

export interface SepaRun {
  id: number;
  createdAt: Date;
  createdBy: string | null;
  collectionDate: string;
  format: SepaFormat;
  label: string;
  messageId: string;
  status: 'generating' | 'sent' | 'collected' | 'failed' | 'cancelled';
  /** Why a failed run could not be built. */
  failureReason: string | null;
  /** The operator who stopped it: all of it while 'cancelled', its Stripe debits not yet asked once 'sent'. */
  cancelledBy: string | null;
  transactions: number;
  totalCents: number;
  hasFile: boolean;
}

const runColumns = (sql: ISql) => sql`r.id, r.created_at as "createdAt", u.name as "createdBy", r.collection_date as "collectionDate", r.format, r.label,
  r.message_id as "messageId", r.status, r.failure_reason as "failureReason", r.cancelled_by as "cancelledBy", r.transactions, r.total_cents as "totalCents", r.zip is not null as "hasFile"`;

/** The run and its items in one transaction: the same invoices cannot be put in two runs. */
export async function createSepaRun(
  sql: Sql,
  r: { userId: number; collectionDate: string; format: SepaFormat; label: string; messageId: string; invoiceIds: number[] },
): Promise<number> {
  return sql.begin(async (tx) => {
    await tx`lock table sepa_run_items in share row exclusive mode`;
    const [run] = await tx<{ id: number }[]>`
      insert into sepa_runs (created_by, collection_date, format, label, message_id)
      values (${r.userId}, ${r.collectionDate}, ${r.format}, ${r.label}, ${r.messageId}) returning id`;
    // Judged again under the lock: what is due by the date, of the chosen invoices still to collect.
    const items = await sepaCandidates(tx, r.collectionDate, r.invoiceIds);
    if (items.length > 0) {
      await tx`insert into sepa_run_items ${tx(items.map((i) => ({
        run_id: run!.id, invoice_id: i.invoiceId, amount_cents: i.amountCents, sequence: i.sequence, end_to_end_id: i.number, channel: i.channel,
      })))}`;
    }
    return run!.id;
  });
}

/** Runs whose file is not built yet: their workflow runs, or was never started. */
export async function generatingSepaRunIds(sql: ISql): Promise<number[]> {
  return (await sql<{ id: number }[]>`select id from sepa_runs where status = 'generating' order by id`).map((r) => r.id);
}

export async function sepaRunById(sql: ISql, id: number): Promise<SepaRun | undefined> {
  const [row] = await sql<SepaRun[]>`select ${runColumns(sql)} from sepa_runs r left join users u on u.id = r.created_by where r.id = ${id}`;
  return row;
}

export async function sepaRuns(sql: ISql, limit = 50): Promise<SepaRun[]> {
  return sql<SepaRun[]>`select ${runColumns(sql)} from sepa_runs r left join users u on u.id = r.created_by order by r.id desc limit ${limit}`;
}

export interface SepaItem {
  invoiceId: number;
  number: string;
  customerName: string;
  amountCents: number;
  sequence: Sequence;
  endToEndId: string;
  outcome: 'pending' | 'collected' | 'rejected' | 'released';
  reason: string | null;
  channel: SepaChannel;
  paymentIntentId: string | null;
  iban: string;
  bic: string | null;
  holder: string;
  reference: string;
  signedOn: string;
}

export async function sepaRunItems(sql: ISql, runId: number): Promise<SepaItem[]> {
  return sql<SepaItem[]>`
    select s.invoice_id as "invoiceId", i.number, c.name as "customerName", s.amount_cents as "amountCents", s.sequence,
           s.end_to_end_id as "endToEndId", s.outcome, s.reason, s.channel, s.payment_intent_id as "paymentIntentId", m.iban, m.bic, m.holder, m.reference, m.signed_on as "signedOn"
    from sepa_run_items s join invoices i on i.id = s.invoice_id join customers c on c.id = i.customer_id
    join mandates m on m.customer_id = c.id
    where s.run_id = ${runId} order by c.name, i.number`;
}

/**
 * Keeps the generated file (none when Stripe collects every item) and, in the same transaction,
 * moves first mandates of the file to recurring and writes "collection sent" on each of its
 * invoices' timelines. Returns the file's invoices.
 */
/** Ends a run that could not be built: 'failed' with its reason, every item released; returns the released invoices. */
export async function failSepaRun(sql: Sql, runId: number, reason: string): Promise<number[]> {
  return sql.begin(async (tx) => {
    const [failed] = await tx`update sepa_runs set status = 'failed', failure_reason = ${reason} where id = ${runId} and status = 'generating' returning id`;
    if (!failed) return [];
    return releasePendingItems(tx, runId, { reason, event: { kind: 'sepa_run_failed', params: { runId, reason } } });
  });
}

/**
 * An operator stops a run. Before its file is built the whole run is cancelled; once built, only
 * the Stripe debits not yet asked are dropped (the bank's file is out of our hands). The released
 * invoices are chased again; returns them, none when nothing was left to stop.
 */
export async function cancelSepaRun(sql: Sql, runId: number, actor: string): Promise<number[]> {
  return sql.begin(async (tx) => {
    const [run] = await tx<{ status: SepaRun['status'] }[]>`
      update sepa_runs set status = case when status = 'generating' then 'cancelled' else status end, cancelled_by = ${actor}
      where id = ${runId} and status in ('generating', 'sent') and cancelled_by is null returning status`;
    if (!run) return [];
    const reason = `cancelled by ${actor}`;
    return releasePendingItems(tx, runId, {
      reason, event: { kind: 'sepa_run_cancelled', params: { runId, by: actor } }, onlyUnaskedStripe: run.status !== 'cancelled',
    });
  });
}

async function releasePendingItems(
  tx: TransactionSql, runId: number,
  r: { reason: string; event: Pick<FollowUpEvent<'sepa_run_failed'>, 'kind' | 'params'> | Pick<FollowUpEvent<'sepa_run_cancelled'>, 'kind' | 'params'>; onlyUnaskedStripe?: boolean },
): Promise<number[]> {
  const released = await tx<{ invoiceId: number }[]>`
    update sepa_run_items set outcome = 'released', reason = ${r.reason}, settled_at = now()
    where run_id = ${runId} and outcome = 'pending' ${r.onlyUnaskedStripe ? tx`and channel = 'stripe' and payment_intent_id is null` : tx``}
    returning invoice_id as "invoiceId"`;
  for (const { invoiceId } of released) {
    await insertEvent(tx, { invoiceId, ...r.event, actor: 'sepa run', dedupeKey: `sepa-${runId}-${invoiceId}-released` });
  }
  return released.map((row) => row.invoiceId);
}

export async function storeSepaFile(sql: Sql, runId: number, file: { zip: Uint8Array | null; transactions: number; totalCents: number }): Promise<number[]> {
  return sql.begin(async (tx) => {
    const [run] = await tx<{ status: string; collectionDate: string }[]>`
      update sepa_runs set zip = ${file.zip && Buffer.from(file.zip)}, transactions = ${file.transactions}, total_cents = ${file.totalCents}, status = 'sent'
      where id = ${runId} and status = 'generating' returning status, collection_date as "collectionDate"`;
    const items = await tx<{ invoiceId: number; amountCents: number; sequence: string }[]>`
      select invoice_id as "invoiceId", amount_cents as "amountCents", sequence from sepa_run_items where run_id = ${runId} and channel = 'file'`;
    if (!run) return items.map((i) => i.invoiceId);
    await tx`update mandates m set sequence = 'RCUR', updated_at = now() from invoices i, sepa_run_items s
      where s.run_id = ${runId} and s.channel = 'file' and s.sequence = 'FRST' and i.id = s.invoice_id and m.customer_id = i.customer_id`;
    for (const item of items) {
      await insertEvent(tx, {
        invoiceId: item.invoiceId, kind: 'sepa_collection_sent', actor: 'sepa run', dedupeKey: `sepa-${runId}-${item.invoiceId}-sent`,
        params: { amountCents: item.amountCents, collectionDate: run.collectionDate, sequence: item.sequence },
      });
    }
    return items.map((i) => i.invoiceId);
  });
}

/** The bank collected the run's file: one payment per pending item, once. Returns the invoices to wake. */
export async function markSepaCollected(sql: Sql, runId: number, actor: string): Promise<number[]> {
  return sql.begin(async (tx) => {
    const [run] = await tx<{ collectionDate: string }[]>`select collection_date as "collectionDate" from sepa_runs where id = ${runId} and status = 'sent' for update`;
    if (!run) return [];
    const pending = await tx<{ invoiceId: number; amountCents: number }[]>`
      update sepa_run_items set outcome = 'collected', settled_at = now() where run_id = ${runId} and channel = 'file' and outcome = 'pending'
      returning invoice_id as "invoiceId", amount_cents as "amountCents"`;
    for (const item of pending) {
      await applyPayment(tx, {
        invoiceId: item.invoiceId, amountCents: item.amountCents, currency: 'EUR', paidOn: run.collectionDate, method: 'sepa_debit',
        source: 'sepa_run', externalId: `sepa-${runId}-${item.invoiceId}`, actor,
      });
    }
    await tx`update sepa_runs set status = 'collected' where id = ${runId}`;
    return pending.map((p) => p.invoiceId);
  });
}

/** A transaction the bank (or Stripe) returned: dunning resumes for that invoice. */
export async function rejectSepaItem(sql: Sql, runId: number, invoiceId: number, reason: string, actor: string, channel: SepaChannel = 'file'): Promise<boolean> {
  return sql.begin(async (tx) => {
    const [item] = await tx`update sepa_run_items set outcome = 'rejected', reason = ${reason}, settled_at = now()
      where run_id = ${runId} and invoice_id = ${invoiceId} and channel = ${channel} and outcome = 'pending' returning invoice_id`;
    if (!item) return false;
    await insertEvent(tx, {
      invoiceId, kind: 'sepa_collection_rejected', actor, dedupeKey: `sepa-${runId}-${invoiceId}-rejected`, params: { reason },
    });
    return true;
  });
}

export async function sepaZip(sql: ISql, runId: number): Promise<Uint8Array | undefined> {
  const [row] = await sql<{ zip: Uint8Array | null }[]>`select zip from sepa_runs where id = ${runId}`;
  return row?.zip ?? undefined;
}
