import type { ISql, Sql } from '../client.js';
import { pauseInvoices } from './invoices.js';

export interface StatementItem {
  invoiceId: number;
  level: number;
  outcome: 'pending' | 'sent' | 'skipped' | 'failed';
  reason: string | null;
}

/**
 * Puts an invoice's due level in its customer's gathering statement (opening one if none is
 * gathering). Joining twice is one item; returns the statement to signal.
 */
export async function joinStatement(sql: Sql, invoiceId: number, level: number): Promise<number> {
  return sql.begin(async (tx) => {
    const [pending] = await tx<{ statementId: number }[]>`
      select statement_id as "statementId" from statement_items where invoice_id = ${invoiceId} and outcome = 'pending'`;
    if (pending) return pending.statementId;
    const [{ customerId }] = await tx<[{ customerId: number }]>`select customer_id as "customerId" from invoices where id = ${invoiceId}`;
    // Serialises joiners of one customer, so two invoices waking together share one statement.
    await tx`select pg_advisory_xact_lock(7356017, ${customerId}::int)`;
    const [gathering] = await tx<{ id: number }[]>`select id from statements where customer_id = ${customerId} and status = 'gathering'`;
    const statementId = gathering?.id ?? (await tx<[{ id: number }]>`insert into statements (customer_id) values (${customerId}) returning id`)[0].id;
    await tx`insert into statement_items (statement_id, invoice_id, level) values (${statementId}, ${invoiceId}, ${level})`;
    return statementId;
  });
}

/** Ends the gathering: from now on late joiners open the next statement. Returns its customer and items. */
export async function closeStatement(sql: Sql, statementId: number): Promise<{ customerId: number; status: string; items: StatementItem[] }> {
  return sql.begin(async (tx) => {
    const [row] = await tx<{ customerId: number; status: string }[]>`
      update statements set status = case when status = 'gathering' then 'sending' else status end
      where id = ${statementId} returning customer_id as "customerId", status`;
    const items = await tx<StatementItem[]>`
      select invoice_id as "invoiceId", level, outcome, reason from statement_items where statement_id = ${statementId} order by invoice_id`;
    return { customerId: row!.customerId, status: row!.status, items };
  });
}

export async function settleStatementItem(sql: ISql, statementId: number, invoiceId: number, outcome: 'sent' | 'skipped' | 'failed', reason: string | null): Promise<void> {
  await sql`update statement_items set outcome = ${outcome}, reason = ${reason} where statement_id = ${statementId} and invoice_id = ${invoiceId}`;
}

export async function finishStatement(sql: ISql, statementId: number, s: { status: 'sent' | 'failed'; subject: string | null; reason: string | null }): Promise<void> {
  await sql`update statements set status = ${s.status}, subject = ${s.subject}, failure_reason = ${s.reason}, sent_at = case when ${s.status} = 'sent' then now() end
    where id = ${statementId}`;
}

/**
 * An operator stops a statement while it gathers: it is not sent, and each of its invoices is
 * paused with the reason, so nothing goes out for them (alone or in the next statement) until
 * someone resumes them. Returns the paused invoices; none once the statement began to be sent.
 */
export async function cancelStatement(sql: Sql, statementId: number, actor: string): Promise<number[]> {
  return sql.begin(async (tx) => {
    const [cancelled] = await tx`update statements set status = 'cancelled', cancelled_by = ${actor} where id = ${statementId} and status = 'gathering' returning id`;
    if (!cancelled) return [];
    const reason = `statement #${statementId} cancelled by ${actor}`;
    const items = await tx<{ invoiceId: number }[]>`
      update statement_items set outcome = 'cancelled', reason = ${reason} where statement_id = ${statementId} and outcome = 'pending' returning invoice_id as "invoiceId"`;
    const paused = items.map((i) => i.invoiceId);
    await pauseInvoices(tx, paused, reason, { statementCancelled: statementId, by: actor }, actor);
    return paused;
  });
}

export interface StatementSummary {
  id: number;
  status: 'gathering' | 'sending' | 'sent' | 'failed' | 'cancelled';
  createdAt: Date;
  sentAt: Date | null;
  subject: string | null;
  failureReason: string | null;
  cancelledBy: string | null;
  /** Invoices in it: waiting while it gathers, sent in it once sent. */
  invoices: number;
}

export async function statementsOfCustomer(sql: ISql, customerId: number, limit = 20): Promise<StatementSummary[]> {
  return sql<StatementSummary[]>`
    select s.id, s.status, s.created_at as "createdAt", s.sent_at as "sentAt", s.subject, s.failure_reason as "failureReason", s.cancelled_by as "cancelledBy",
           (select count(*)::int from statement_items i where i.statement_id = s.id
              and i.outcome = case when s.status in ('gathering', 'sending') then 'pending' when s.status = 'cancelled' then 'cancelled' else 'sent' end) as invoices
    from statements s where s.customer_id = ${customerId} order by s.id desc limit ${limit}`;
}
