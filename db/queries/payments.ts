import type { Fragment, ISql, Sql, TransactionSql } from '../client.js';
import { insertEvent } from './events.js';

/** How a payment came in, as the payments table allows (migration 0001). */
export const PAYMENT_METHODS = ['transfer', 'card', 'sepa_debit', 'stripe', 'cheque', 'credit_note', 'other'] as const;
export type PaymentMethod = (typeof PAYMENT_METHODS)[number];
/** What a person records by hand: a Stripe payment only ever comes from Stripe. */
export type PaymentSource = 'api' | 'csv' | 'manual' | 'stripe_webhook' | 'sepa_run' | 'factur-x';

export const MANUAL_PAYMENT_METHODS = PAYMENT_METHODS.filter((m): m is Exclude<PaymentMethod, 'stripe'> => m !== 'stripe');

export interface PaymentInput {
  invoiceId: number;
  amountCents: number;
  currency: string;
  paidOn: string;
  method: PaymentMethod;
  source: PaymentSource;
  externalId: string | null;
  actor: string;
}

/**
 * Records a payment and updates the invoice's paid amount and status in one transaction.
 * The same external id twice is one payment: the second call returns the first, `duplicate: true`.
 */
export async function recordPayment(sql: Sql, p: PaymentInput): Promise<PaymentResult> {
  return sql.begin((tx) => applyPayment(tx, p));
}

export interface PaymentResult {
  paymentId: number;
  duplicate: boolean;
  invoiceStatus: string;
}

/** The body of recordPayment, for callers already inside a transaction. */
export async function applyPayment(tx: TransactionSql, p: PaymentInput): Promise<PaymentResult> {
  const [inserted] = await tx<{ id: number }[]>`
    insert into payments (invoice_id, amount_cents, currency, paid_on, method, source, external_id)
    values (${p.invoiceId}, ${p.amountCents}, ${p.currency}, ${p.paidOn}, ${p.method}, ${p.source}, ${p.externalId})
    on conflict (external_id) do nothing returning id`;
  if (!inserted) {
    const [prior] = await tx<{ id: number; status: string }[]>`
      select p.id, i.status from payments p join invoices i on i.id = p.invoice_id where p.external_id = ${p.externalId}`;
    return { paymentId: prior!.id, duplicate: true, invoiceStatus: prior!.status };
  }
  const [inv] = await tx<{ status: string; balanceCents: number }[]>`
    update invoices set paid_cents = paid_cents + ${p.amountCents},
      status = case when status = 'open' and paid_cents + ${p.amountCents} >= total_cents then 'paid' else status end,
      updated_at = now()
    where id = ${p.invoiceId} returning status, total_cents - paid_cents as "balanceCents"`;
  await insertEvent(tx, {
    invoiceId: p.invoiceId,
    kind: 'payment_received',
    params: { amountCents: p.amountCents, currency: p.currency, method: p.method, paidOn: p.paidOn, balanceCents: inv!.balanceCents },
    actor: p.actor,
  });
  return { paymentId: inserted.id, duplicate: false, invoiceStatus: inv!.status };
}

/** A recorded payment, as the invoice page lists it and a reminder thanks for it. */
export type PaymentRow = Omit<PaymentInput, 'invoiceId' | 'actor'> & { id: number; recordedAt: Date };

/** An invoice's payments in the order they were paid, as a JSON array a larger statement can read with the rest. */
export const paymentsJson = (sql: ISql, invoiceId: number | Fragment) => sql`
  (select coalesce(json_agg(json_build_object('id', p.id, 'amountCents', p.amount_cents, 'currency', p.currency, 'paidOn', p.paid_on, 'method', p.method,
                                              'source', p.source, 'externalId', p.external_id, 'recordedAt', p.created_at) order by p.paid_on, p.id), '[]')
   from payments p where p.invoice_id = ${invoiceId})`;

/** The rows of `paymentsJson`: JSON carries the instant each was recorded as text. */
export const paymentRows = (json: (Omit<PaymentRow, 'recordedAt'> & { recordedAt: string })[]): PaymentRow[] =>
  json.map((p) => ({ ...p, recordedAt: new Date(p.recordedAt) }));

export async function paymentsOf(sql: ISql, invoiceId: number): Promise<PaymentRow[]> {
  const [row] = await sql<{ payments: Parameters<typeof paymentRows>[0] }[]>`select ${paymentsJson(sql, invoiceId)} as payments`;
  return paymentRows(row!.payments);
}

