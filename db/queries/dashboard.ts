import type { ISql } from '../client.js';

export interface AgingBucket {
  bucket: 'not_due' | '1-30' | '31-60' | '61-90' | '>90';
  count: number;
  balanceCents: number;
}

export interface DashboardFigures {
  openCount: number;
  overdueCount: number;
  /** Open invoices whose dunning an operator stopped in Temporal: nothing goes out until resumed. */
  stoppedCount: number;
  overdueByCurrency: { currency: string; balanceCents: number }[];
  byLevel: { level: number; stepName: string | null; count: number }[];
  aging: AgingBucket[];
}

const BUCKETS: AgingBucket['bucket'][] = ['not_due', '1-30', '31-60', '61-90', '>90'];

/**
 * Figures over open invoices with a balance; "today" is the company's calendar day. Amounts are
 * never added across currencies: the aging is drawn for one currency, the one most owed.
 */
export async function dashboardFigures(sql: ISql, today: string): Promise<DashboardFigures & { agingCurrency: string }> {
  const [main] = await sql<{ currency: string }[]>`
    select currency from invoices where status = 'open' and total_cents > paid_cents
    group by currency order by sum(total_cents - paid_cents) desc limit 1`;
  const agingCurrency = main?.currency ?? 'EUR';
  const [totals, overdue, byLevel, aging] = await Promise.all([
    sql<[{ open: number; overdue: number; stopped: number }]>`
      select count(*)::int as open, count(*) filter (where due_date < ${today})::int as overdue,
             count(*) filter (where stopped_at is not null)::int as stopped
      from invoices where status = 'open' and total_cents > paid_cents`,
    sql<{ currency: string; balanceCents: number }[]>`
      select currency, sum(total_cents - paid_cents)::bigint as "balanceCents"
      from invoices where status = 'open' and total_cents > paid_cents and due_date < ${today}
      group by currency order by currency`,
    sql<{ level: number; stepName: string | null; count: number }[]>`
      select coalesce(r.level, 0)::int as level, max(r.step_name) as "stepName", count(*)::int as count
      from invoices i
      left join lateral (select level, step_name from reminders where invoice_id = i.id and status = 'sent' order by level desc limit 1) r on true
      where i.status = 'open' and i.total_cents > i.paid_cents
      group by 1 order by 1`,
    sql<{ bucket: AgingBucket['bucket']; count: number; balanceCents: number }[]>`
      select case when due_date >= ${today} then 'not_due'
                  when ${today}::date - due_date <= 30 then '1-30'
                  when ${today}::date - due_date <= 60 then '31-60'
                  when ${today}::date - due_date <= 90 then '61-90' else '>90' end as bucket,
             count(*)::int as count, sum(total_cents - paid_cents)::bigint as "balanceCents"
      from invoices where status = 'open' and total_cents > paid_cents and currency = ${agingCurrency} group by 1`,
  ]);
  return {
    openCount: totals[0].open,
    overdueCount: totals[0].overdue,
    stoppedCount: totals[0].stopped,
    overdueByCurrency: overdue,
    byLevel,
    agingCurrency,
    aging: BUCKETS.map((b) => aging.find((a) => a.bucket === b) ?? { bucket: b, count: 0, balanceCents: 0 }),
  };
}

export interface ReminderLine {
  invoiceNumber: string;
  customerName: string;
  level: number;
  stepName: string;
  at: Date;
  failureReason: string | null;
}

export async function latestReminders(sql: ISql, status: 'sent' | 'failed', limit = 10): Promise<ReminderLine[]> {
  return sql<ReminderLine[]>`
    select i.number as "invoiceNumber", c.name as "customerName", r.level, r.step_name as "stepName",
           coalesce(r.sent_at, r.created_at) as at, r.failure_reason as "failureReason"
    from reminders r join invoices i on i.id = r.invoice_id join customers c on c.id = i.customer_id
    where r.status = ${status} order by coalesce(r.sent_at, r.created_at) desc, r.id desc limit ${limit}`;
}
