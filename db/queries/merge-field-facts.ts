import type { ISql } from '../client.js';
import { customerJson, type Customer } from './customers.js';
import { linesJson } from './invoice-lines.js';
import { openBalancesJson, overdueLines, type OverdueLine } from './invoices.js';
import { paymentRows, paymentsJson, type PaymentRow } from './payments.js';
import { remindersBeforeJson, sentReminders } from './reminders.js';
import type { InvoiceLine } from '../../workflows/schedule/invoice-lines.js';

export interface MergeFieldFacts {
  customer: Customer;
  payments: PaymentRow[];
  /** The reminders sent before this level, oldest first: what a text may say was already sent. */
  previous: { stepName: string; sentAt: Date }[];
  lines: InvoiceLine[];
  /** The customer's open invoices with something due today. */
  overdue: OverdueLine[];
}

/** The row `mergeFieldColumns` reads. */
export type MergeFieldRow = {
  customer: Customer | null; payments: Parameters<typeof paymentRows>[0]; previous: Parameters<typeof sentReminders>[0];
  lines: InvoiceLine[]; open: Parameters<typeof overdueLines>[0];
};

/**
 * What a reminder's text says beyond the invoice's own facts, in one statement: a reminder is
 * read once per send, and five reads of a few rows each cost more in round trips than in rows.
 */
export async function mergeFieldFacts(sql: ISql, invoice: { id: number; customerId: number }, level: number, today: string): Promise<MergeFieldFacts> {
  const [row] = await sql<MergeFieldRow[]>`select ${mergeFieldColumns(sql, invoice, level)}`;
  return mergeFieldFactsOf(row!, invoice, today);
}

/** The select list of `mergeFieldFacts`, for a statement that reads them beside its own work (a reminder's claim). */
export const mergeFieldColumns = (sql: ISql, invoice: { id: number; customerId: number }, level: number) => sql`
  ${customerJson(sql, invoice.customerId)} as customer, ${paymentsJson(sql, invoice.id)} as payments,
  ${remindersBeforeJson(sql, invoice.id, level)} as previous, ${linesJson(sql, invoice.id)} as lines,
  ${openBalancesJson(sql, invoice.customerId)} as open`;

/** What the columns of `mergeFieldColumns` read, as the merge fields use it. */
export function mergeFieldFactsOf(row: MergeFieldRow, invoice: { id: number; customerId: number }, today: string): MergeFieldFacts {
  const { customer, payments, previous, lines, open } = row;
  if (!customer) throw new Error(`customer ${invoice.customerId} of invoice ${invoice.id} does not exist`);
  return { customer, payments: paymentRows(payments), previous: sentReminders(previous), lines, overdue: overdueLines(open, today) };
}
