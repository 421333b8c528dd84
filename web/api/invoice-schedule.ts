import type { ISql } from '../../db/client.js';
import type { Customer } from '../../db/queries/customers.js';
import { paymentTermsByIds, paymentTermsByNames, type PaymentTerms } from '../../db/queries/payment-terms.js';
import { PaymentTermsError, scheduleOf, type Installment } from '../../workflows/schedule/payment-terms.js';
import type { InvoiceBody } from './schemas.js';

export type InvoiceSchedule = { dueDate: string; installments: Installment[]; paymentTermsId: number | null };

/**
 * An invoice's due date and installments from what it gives: a date, a rule, installments, named
 * terms, or else its customer's default terms. Throws a PaymentTermsError naming the field.
 */
export function invoiceSchedule(b: InvoiceBody, terms: PaymentTerms | undefined): InvoiceSchedule {
  if (b.dueDate) return { dueDate: b.dueDate, installments: [], paymentTermsId: null };
  if (b.dueRule) return { ...scheduleOf(b.issueDate, b.totalCents, { kind: 'due', rule: b.dueRule }), paymentTermsId: null };
  if (b.installments) return { ...scheduleOf(b.issueDate, b.totalCents, { kind: 'installments', installments: b.installments }), paymentTermsId: null };
  if (!terms) {
    if (b.paymentTerms) throw new PaymentTermsError('paymentTerms', `no payment terms "${b.paymentTerms}" in the settings`);
    throw new PaymentTermsError('dueDate', 'give a dueDate, a dueRule, installments or paymentTerms: the customer has no default payment terms');
  }
  return { ...scheduleOf(b.issueDate, b.totalCents, terms.rule), paymentTermsId: terms.id };
}

/** The named terms each invoice refers to, or its customer's default when it gives no due date at all. */
export async function termsFor(sql: ISql, invoices: readonly { body: InvoiceBody; customer: Pick<Customer, 'paymentTermsId'> }[]): Promise<(PaymentTerms | undefined)[]> {
  const byName = await paymentTermsByNames(sql, [...new Set(invoices.flatMap((i) => (i.body.paymentTerms ? [i.body.paymentTerms] : [])))]);
  const defaults = await paymentTermsByIds(sql, [...new Set(invoices.flatMap((i) => (i.customer.paymentTermsId !== null ? [i.customer.paymentTermsId] : [])))]);
  return invoices.map(({ body: b, customer }) => {
    if (b.paymentTerms) return byName.get(b.paymentTerms);
    if (b.dueDate || b.dueRule || b.installments || customer.paymentTermsId === null) return undefined;
    return defaults.get(customer.paymentTermsId);
  });
}
