import type { ISql } from '../client.js';

export interface FollowUpFilter {
  dueFrom?: string;
  dueTo?: string;
  customer?: string;
  level?: number;
  status: 'open' | 'paid' | 'cancelled' | 'all';
  balanceOnly: boolean;
  /** Only invoices with an open dispute, or with a pending promise to pay. */
  situation?: 'disputed' | 'promised' | 'stopped';
  q?: string;
  sort: 'due' | 'number' | 'customer' | 'balance';
  dir: 'asc' | 'desc';
  page: number;
  pageSize: number;
}

export interface FollowUpRow {
  id: number;
  number: string;
  customerName: string;
  customerRef: string;
  policyId: number | null;
  currency: string;
  totalCents: number;
  paidCents: number;
  dueDate: string;
  status: 'open' | 'paid' | 'cancelled';
  paused: boolean;
  stopped: boolean;
  lastLevel: number;
  lastRemindedAt: Date | null;
  lastNote: string | null;
  lastFailure: string | null;
  /** Without an address the row cannot be chased by e-mail: it is marked, a letter still can. */
  hasEmail: boolean;
  /** What the provider reported for the last e-mail: a bounce shows on the row. */
  lastDelivery: string | null;
  disputed: boolean;
  /** The date of the pending promise to pay. */
  promisedOn: string | null;
}

export const COUNT_CAP = 10_000;

const likePattern = (text: string) => `%${text.replace(/[\\%_]/g, (m) => `\\${m}`)}%`;

function conditionOf(sql: ISql, f: Omit<FollowUpFilter, 'page' | 'pageSize'>) {
  const where = [sql`true`];
  if (f.status !== 'all') where.push(sql`i.status = ${f.status}`);
  if (f.dueFrom) where.push(sql`i.due_date >= ${f.dueFrom}`);
  if (f.dueTo) where.push(sql`i.due_date <= ${f.dueTo}`);
  if (f.balanceOnly) where.push(sql`i.total_cents > i.paid_cents`);
  if (f.level !== undefined) where.push(sql`i.last_level = ${f.level}`);
  if (f.situation === 'disputed') where.push(sql`i.id = any(array(select invoice_id from disputes where closed_at is null))`);
  if (f.situation === 'stopped') where.push(sql`i.stopped_at is not null`);
  if (f.situation === 'promised') where.push(sql`i.id = any(array(select invoice_id from payment_promises where outcome is null))`);
  if (f.customer) {
    // `= any(array(…))`: the planner knows the matching customers before it picks an index.
    where.push(sql`i.customer_id = any(array(select id from customers where ref = ${f.customer} or lower(name) like lower(${likePattern(f.customer)})))`);
  }
  if (f.q) {
    const pattern = likePattern(f.q);
    where.push(sql`i.id = any(array(select id from invoices where number ilike ${pattern}
      union select x.id from invoices x where x.customer_id in (select id from customers where lower(name) like lower(${pattern}))))`);
  }
  return where.reduce((a, b) => sql`${a} and ${b}`);
}

/**
 * One page of the mass follow-up. The page's ids are chosen first on the invoices alone (an index
 * walk for every sort), and only those rows get their customer and last reminder: a deep page
 * costs little more than the first.
 */
export async function followUpRows(sql: ISql, f: FollowUpFilter): Promise<FollowUpRow[]> {
  const condition = conditionOf(sql, f);
  const direction = f.dir === 'desc' ? sql`desc` : sql`asc`;
  const orderBy = {
    due: sql`i.due_date ${direction}, i.id ${direction}`,
    number: sql`i.number ${direction}, i.id ${direction}`,
    customer: sql`lower(c.name) ${direction}, c.id ${direction}, i.id ${direction}`,
    balance: sql`i.total_cents - i.paid_cents ${direction}, i.id ${direction}`,
  }[f.sort];
  return sql<FollowUpRow[]>`
      with page as (
        select i.id, row_number() over (order by ${orderBy}) as position
        from invoices i ${f.sort === 'customer' ? sql`join customers c on c.id = i.customer_id` : sql``}
        where ${condition}
        order by ${orderBy}
        limit ${f.pageSize} offset ${(f.page - 1) * f.pageSize})
      select i.id, i.number, c.name as "customerName", c.ref as "customerRef",
             coalesce(c.policy_id, (select id from policies where is_default)) as "policyId",
             i.currency, i.total_cents as "totalCents", i.paid_cents as "paidCents", i.due_date as "dueDate", i.status,
             (i.paused or c.paused) as paused, i.stopped_at is not null as stopped, i.last_level as "lastLevel", i.last_reminded_at as "lastRemindedAt",
             r.note as "lastNote", f.failure_reason as "lastFailure", cardinality(c.emails) > 0 as "hasEmail", r.delivery_status as "lastDelivery",
             exists (select 1 from disputes d where d.invoice_id = i.id and d.closed_at is null) as disputed,
             (select promised_on from payment_promises pp where pp.invoice_id = i.id and pp.outcome is null) as "promisedOn"
      from page p join invoices i on i.id = p.id join customers c on c.id = i.customer_id
      left join lateral (select note, delivery_status from reminders where invoice_id = i.id and status = 'sent' order by level desc limit 1) r on true
      left join lateral (select failure_reason from reminders where invoice_id = i.id and status = 'failed' order by level desc limit 1) f on true
      order by p.position`;
}

/** Every invoice the filter matches (a run on "all N matching"), in the list's order, up to `limit`. */
export async function matchingInvoiceIds(sql: ISql, f: Omit<FollowUpFilter, 'page' | 'pageSize'>, limit: number): Promise<number[]> {
  const rows = await sql<{ id: number }[]>`select i.id from invoices i where ${conditionOf(sql, f)} order by i.due_date, i.id limit ${limit}`;
  return rows.map((r) => Number(r.id));
}

/** A page of the mass follow-up and how many invoices the filter matches (up to COUNT_CAP, `more` beyond). */
export async function listFollowUp(sql: ISql, f: FollowUpFilter): Promise<{ rows: FollowUpRow[]; total: number; more: boolean }> {
  const [rows, [count]] = await Promise.all([
    followUpRows(sql, f),
    // Counting past the cap would cost every page a scan of the whole selection; "10,000+" tells enough.
    sql<[{ total: number }]>`select count(*)::int as total from (select 1 from invoices i where ${conditionOf(sql, f)} limit ${COUNT_CAP + 1}) s`,
  ]);
  return { rows, total: Math.min(count.total, COUNT_CAP), more: count.total > COUNT_CAP };
}
