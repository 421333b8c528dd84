import type { ReminderStatus } from './reminders.js';
import type { ISql } from '../client.js';

/** Which reminders the overall log shows: a period of days (the company's), a user, a level, a channel. */
export interface ReminderLogFilter {
  from?: string;
  to?: string;
  user?: string;
  level?: number;
  channel?: 'email' | 'letter' | 'manual';
  timezone: string;
}

export interface ReminderLogLine {
  id: number;
  invoiceNumber: string;
  customerName: string;
  customerRef: string;
  level: number;
  stepName: string;
  channel: 'email' | 'letter' | 'manual';
  status: ReminderStatus;
  at: Date;
  performedBy: string;
  note: string | null;
  nextPlannedOn: string | null;
  documentId: number | null;
  /** The e-mail's exact HTML is kept: the log links it. */
  hasHtml: boolean;
}

function conditionOf(sql: ISql, f: ReminderLogFilter) {
  const day = sql`(coalesce(r.sent_at, r.created_at) at time zone ${f.timezone})::date`;
  const where = [sql`true`];
  if (f.from) where.push(sql`${day} >= ${f.from}::date`);
  if (f.to) where.push(sql`${day} <= ${f.to}::date`);
  if (f.user) where.push(sql`r.performed_by = ${f.user}`);
  if (f.level !== undefined) where.push(sql`r.level = ${f.level}`);
  if (f.channel) where.push(sql`r.channel = ${f.channel}`);
  return where.reduce((a, b) => sql`${a} and ${b}`);
}

/** Every reminder across invoices and customers (source 003), newest first, a page at a time. */
export function reminderLog(sql: ISql, f: ReminderLogFilter, page: { limit: number; offset: number }): Promise<ReminderLogLine[]> {
  return sql<ReminderLogLine[]>`
    select r.id, i.number as "invoiceNumber", c.name as "customerName", c.ref as "customerRef", r.level, r.step_name as "stepName", r.channel,
           r.status, coalesce(r.sent_at, r.created_at) as at, r.performed_by as "performedBy", r.note, r.next_planned_on as "nextPlannedOn",
           (select d.id from documents d where d.reminder_id = r.id order by d.id limit 1) as "documentId", r.html is not null as "hasHtml"
    from reminders r join invoices i on i.id = r.invoice_id join customers c on c.id = i.customer_id
    where ${conditionOf(sql, f)}
    order by coalesce(r.sent_at, r.created_at) desc, r.id desc
    limit ${page.limit} offset ${page.offset}`;
}

/** Who has performed reminders, for the log's user filter. */
export async function reminderAuthors(sql: ISql): Promise<string[]> {
  return (await sql<{ who: string }[]>`select distinct performed_by as who from reminders order by 1`).map((r) => r.who);
}
