import type { ISql } from '../client.js';
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
 * Which reminder works: for the reminders sent since `from`, per level and channel, how many
 * invoices were paid in full within 7, 15 and 30 days of it, and what came in within 30 days.
 */
export async function reminderEffects(sql: ISql, from: Date, timezone: string): Promise<LevelEffect[]> {
  return sql<LevelEffect[]>`
    select r.level, max(r.step_name) as "stepName", r.channel, i.currency, count(*)::int as sent,
           count(*) filter (where full_on <= sent_on + 7)::int as "paidWithin7",
           count(*) filter (where full_on <= sent_on + 15)::int as "paidWithin15",
           count(*) filter (where full_on <= sent_on + 30)::int as "paidWithin30",
           coalesce(sum(collected), 0)::bigint as "collected30Cents"
    from (
      select r.*, (r.sent_at at time zone ${timezone})::date as sent_on from reminders r where r.status = 'sent' and r.sent_at >= ${from}
    ) r
    join invoices i on i.id = r.invoice_id
    left join lateral (select max(p.paid_on) as full_on from payments p where p.invoice_id = i.id and i.status = 'paid') f on true
    left join lateral (select sum(p.amount_cents) as collected from payments p where p.invoice_id = r.invoice_id and p.paid_on between r.sent_on and r.sent_on + 30) c on true
    group by r.level, r.channel, i.currency order by r.level, r.channel, i.currency`;
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

/** Per customer: how late it pays on average, the promises it kept and broke, its disputes; the most overdue first. */
export async function customerBehaviours(sql: ISql, today: string, limit = 100): Promise<CustomerBehaviour[]> {
  return sql<CustomerBehaviour[]>`
    select c.ref, c.name,
           count(*) filter (where i.status = 'paid')::int as "paidInvoices",
           round(avg(greatest(f.full_on - i.due_date, 0)) filter (where i.status = 'paid' and i.due_date is not null), 1)::float as "averageDaysLate",
           (select count(*)::int from payment_promises p join invoices x on x.id = p.invoice_id where x.customer_id = c.id and p.outcome = 'kept') as "promisesKept",
           (select count(*)::int from payment_promises p join invoices x on x.id = p.invoice_id where x.customer_id = c.id and p.outcome = 'broken') as "promisesBroken",
           (select count(*)::int from disputes d join invoices x on x.id = d.invoice_id where x.customer_id = c.id) as disputes,
           coalesce(sum(i.total_cents - i.paid_cents) filter (where i.status = 'open' and i.due_date < ${today}), 0)::bigint as "overdueCents",
           coalesce(max(i.currency), 'EUR') as currency
    from customers c join invoices i on i.customer_id = c.id
    left join lateral (select max(p.paid_on) as full_on from payments p where p.invoice_id = i.id) f on true
    group by c.id order by "overdueCents" desc, c.name limit ${limit}`;
}
