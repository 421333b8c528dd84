import type { Sql } from '../client.js';

export interface FollowUpFilter {
  dueFrom?: string;
  dueTo?: string;
  customer?: string;
  level?: number;
  status: 'open' | 'paid' | 'cancelled' | 'all';
  balanceOnly: boolean;
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
  lastLevel: number;
  lastRemindedAt: Date | null;
  lastNote: string | null;
  lastFailure: string | null;
}

const likePattern = (text: string) => `%${text.replace(/[\\%_]/g, (m) => `\\${m}`)}%`;

/** One page of the mass follow-up, and how many invoices the filter matches in all. */
export async function listFollowUp(sql: Sql, f: FollowUpFilter): Promise<{ rows: FollowUpRow[]; total: number }> {
  const where = [sql`true`];
  if (f.status !== 'all') where.push(sql`i.status = ${f.status}`);
  if (f.dueFrom) where.push(sql`i.due_date >= ${f.dueFrom}`);
  if (f.dueTo) where.push(sql`i.due_date <= ${f.dueTo}`);
  if (f.balanceOnly) where.push(sql`i.total_cents > i.paid_cents`);
  if (f.level !== undefined) where.push(sql`i.last_level = ${f.level}`);
  if (f.customer) where.push(sql`(c.ref = ${f.customer} or lower(c.name) like lower(${likePattern(f.customer)}))`);
  if (f.q) where.push(sql`(i.number ilike ${likePattern(f.q)} or c.name ilike ${likePattern(f.q)})`);
  const condition = where.reduce((a, b) => sql`${a} and ${b}`);
  const orderBy = {
    due: sql`i.due_date`,
    number: sql`i.number`,
    customer: sql`lower(c.name)`,
    balance: sql`i.total_cents - i.paid_cents`,
  }[f.sort];
  const direction = f.dir === 'desc' ? sql`desc` : sql`asc`;
  const [rows, [count]] = await Promise.all([
    sql<FollowUpRow[]>`
      select i.id, i.number, c.name as "customerName", c.ref as "customerRef",
             coalesce(c.policy_id, (select id from policies where is_default)) as "policyId",
             i.currency, i.total_cents as "totalCents", i.paid_cents as "paidCents", i.due_date as "dueDate", i.status,
             (i.paused or c.paused) as paused, i.last_level as "lastLevel", i.last_reminded_at as "lastRemindedAt",
             r.note as "lastNote", f.failure_reason as "lastFailure"
      from invoices i join customers c on c.id = i.customer_id
      left join lateral (select note from reminders where invoice_id = i.id and status = 'sent' order by level desc limit 1) r on true
      left join lateral (select failure_reason from reminders where invoice_id = i.id and status = 'failed' order by level desc limit 1) f on true
      where ${condition}
      order by ${orderBy} ${direction}, i.id ${direction}
      limit ${f.pageSize} offset ${(f.page - 1) * f.pageSize}`,
    sql<[{ total: number }]>`select count(*)::int as total from invoices i join customers c on c.id = i.customer_id where ${condition}`,
  ]);
  return { rows, total: count.total };
}
