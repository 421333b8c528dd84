import type { ISql, TransactionSql } from '../client.js';
import type { CollectionSnapshot } from '../../workflows/schedule/collection-figures.js';

/**
 * What was owed at the end of `day`, per currency, from the invoices issued by then and the
 * payments made by then: exact for any past day (a cancelled invoice never counts).
 */
export async function saveSnapshot(sql: ISql, day: string): Promise<void> {
  await sql`
    insert into collection_snapshots (day, currency, receivable_cents, overdue_cents, sales_90_cents, aging)
    select ${day}::date, b.currency, sum(b.balance), coalesce(sum(b.balance) filter (where b.due_date < ${day}::date), 0),
           coalesce(sum(b.total_cents) filter (where b.issue_date > ${day}::date - 90), 0),
           jsonb_build_object(
             'not_due', coalesce(sum(b.balance) filter (where b.due_date is null or b.due_date >= ${day}::date), 0),
             '1-30', coalesce(sum(b.balance) filter (where ${day}::date - b.due_date between 1 and 30), 0),
             '31-60', coalesce(sum(b.balance) filter (where ${day}::date - b.due_date between 31 and 60), 0),
             '61-90', coalesce(sum(b.balance) filter (where ${day}::date - b.due_date between 61 and 90), 0),
             '>90', coalesce(sum(b.balance) filter (where ${day}::date - b.due_date > 90), 0))
    from (
      select i.currency, i.due_date, i.issue_date, i.total_cents,
             greatest(i.total_cents - coalesce((select sum(p.amount_cents) from payments p where p.invoice_id = i.id and p.paid_on <= ${day}::date), 0), 0) as balance
      from invoices i where i.status <> 'cancelled' and i.issue_date <= ${day}::date
    ) b
    group by b.currency
    on conflict (day, currency) do update set receivable_cents = excluded.receivable_cents, overdue_cents = excluded.overdue_cents,
      sales_90_cents = excluded.sales_90_cents, aging = excluded.aging, taken_at = now()`;
}

/** The days of the last `span` (today included) without a snapshot, from the first invoice on: oldest first. */
export async function daysWithoutSnapshot(sql: ISql, today: string, span: number): Promise<string[]> {
  const rows = await sql<{ day: string }[]>`
    select d::date as day from generate_series(
      greatest(${today}::date - ${span - 1}::int, (select min(issue_date) from invoices)), ${today}::date, interval '1 day') d
    where not exists (select 1 from collection_snapshots s where s.day = d::date)
    order by d`;
  return rows.map((r) => r.day);
}

/** The currency most was owed in on the last snapshot; EUR before any. */
export async function mainSnapshotCurrency(sql: ISql): Promise<string> {
  const [row] = await sql<{ currency: string }[]>`
    select currency from collection_snapshots where day = (select max(day) from collection_snapshots) order by receivable_cents desc limit 1`;
  return row?.currency ?? 'EUR';
}

export async function snapshotsSince(sql: ISql, from: string, currency: string): Promise<CollectionSnapshot[]> {
  return sql<CollectionSnapshot[]>`
    select day, currency, receivable_cents as "receivableCents", overdue_cents as "overdueCents", sales_90_cents as "sales90Cents", aging
    from collection_snapshots where day >= ${from} and currency = ${currency} order by day`;
}

export interface LevelEffect {
  level: number;
  stepName: string;
  channel: 'email' | 'letter';
  currency: string;
  sent: number;
  paidWithin7: number;
  paidWithin15: number;
  paidWithin30: number;
  /** Payments on the invoice in the 30 days after the reminder. */
  collected30Cents: number;
}

/**
 * Which reminder works, recomputed with the night's snapshot: for the reminders sent since `from`,
 * per level and channel, how many invoices were paid in full within 7, 15 and 30 days of it, and
 * what came in within 30 days.
 */
export async function refreshReminderEffects(sql: TransactionSql, from: Date, timezone: string): Promise<void> {
  await sql`delete from reminder_effects`;
  await sql`
    insert into reminder_effects (level, step_name, channel, currency, sent, paid_within_7, paid_within_15, paid_within_30, collected_30_cents)
    select r.level, max(r.step_name), r.channel, i.currency, count(*),
           count(*) filter (where full_on <= sent_on + 7), count(*) filter (where full_on <= sent_on + 15), count(*) filter (where full_on <= sent_on + 30),
           coalesce(sum(collected), 0)
    from (
      select r.invoice_id, r.level, r.step_name, r.channel, (r.sent_at at time zone ${timezone})::date as sent_on
      from reminders r where r.status = 'sent' and r.sent_at >= ${from}
    ) r
    join invoices i on i.id = r.invoice_id
    left join lateral (select max(p.paid_on) as full_on from payments p where p.invoice_id = i.id and i.status = 'paid') f on true
    left join lateral (select sum(p.amount_cents) as collected from payments p where p.invoice_id = r.invoice_id and p.paid_on between r.sent_on and r.sent_on + 30) c on true
    group by r.level, r.channel, i.currency`;
}

export async function reminderEffects(sql: ISql): Promise<LevelEffect[]> {
  return sql<LevelEffect[]>`
    select level, step_name as "stepName", channel, currency, sent, paid_within_7 as "paidWithin7", paid_within_15 as "paidWithin15",
           paid_within_30 as "paidWithin30", collected_30_cents as "collected30Cents"
    from reminder_effects order by level, channel, currency`;
}

export interface CustomerBehaviour {
  ref: string;
  name: string;
  paidInvoices: number;
  averageDaysLate: number | null;
  promisesKept: number;
  promisesBroken: number;
  disputes: number;
  overdueCents: number;
  currency: string;
}

/** Per customer, recomputed with the night's snapshot: how late it pays on average, the promises it kept and broke, its disputes. */
export async function refreshCustomerHabits(sql: TransactionSql, today: string): Promise<void> {
  await sql`delete from customer_habits`;
  await sql`
    insert into customer_habits (customer_id, paid_invoices, average_days_late, promises_kept, promises_broken, disputes, overdue_cents, currency)
    select i.customer_id,
           count(*) filter (where i.status = 'paid'),
           round(avg(greatest(f.full_on - i.due_date, 0)) filter (where i.status = 'paid' and i.due_date is not null), 1),
           coalesce(max(pr.kept), 0), coalesce(max(pr.broken), 0), coalesce(max(d.disputes), 0),
           coalesce(sum(i.total_cents - i.paid_cents) filter (where i.status = 'open' and i.due_date < ${today}), 0),
           coalesce(max(i.currency), 'EUR')
    from invoices i
    left join lateral (select max(p.paid_on) as full_on from payments p where p.invoice_id = i.id and i.status = 'paid') f on true
    left join (select x.customer_id, count(*) filter (where p.outcome = 'kept') as kept, count(*) filter (where p.outcome = 'broken') as broken
               from payment_promises p join invoices x on x.id = p.invoice_id group by x.customer_id) pr on pr.customer_id = i.customer_id
    left join (select x.customer_id, count(*) as disputes from disputes d join invoices x on x.id = d.invoice_id group by x.customer_id) d on d.customer_id = i.customer_id
    group by i.customer_id`;
}

/** The customers' habits, the most overdue first. */
export async function customerBehaviours(sql: ISql, limit = 100): Promise<CustomerBehaviour[]> {
  return sql<CustomerBehaviour[]>`
    select c.ref, c.name, h.paid_invoices as "paidInvoices", h.average_days_late as "averageDaysLate", h.promises_kept as "promisesKept",
           h.promises_broken as "promisesBroken", h.disputes, h.overdue_cents as "overdueCents", h.currency
    from customer_habits h join customers c on c.id = h.customer_id
    order by h.overdue_cents desc, c.name limit ${limit}`;
}
