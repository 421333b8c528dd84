import type { ISql } from '../client.js';

/** The actor of what a customer does on its portal: its timeline entries read "by the customer". */
export const CUSTOMER_ACTOR = 'customer';

export interface PortalInvoice {
  id: number;
  number: string;
  issueDate: string;
  dueDate: string | null;
  currency: string;
  balanceCents: number;
  /** The billing system sent its own PDF: the customer may download it. */
  hasPdf: boolean;
  disputed: boolean;
  promise: { amountCents: number; promisedOn: string } | null;
}

/** A customer's invoices still to pay, oldest due first, with what is already said about each. */
export async function portalInvoicesOf(sql: ISql, customerId: number): Promise<PortalInvoice[]> {
  return sql<PortalInvoice[]>`
    select i.id, i.number, i.issue_date as "issueDate", i.due_date as "dueDate", i.currency, i.total_cents - i.paid_cents as "balanceCents",
           exists (select 1 from invoice_files f where f.invoice_id = i.id) as "hasPdf",
           exists (select 1 from disputes d where d.invoice_id = i.id and d.closed_at is null) as disputed,
           (select json_build_object('amountCents', p.amount_cents, 'promisedOn', p.promised_on) from payment_promises p
             where p.invoice_id = i.id and p.outcome is null) as promise
    from invoices i
    where i.customer_id = ${customerId} and i.status = 'open' and i.total_cents > i.paid_cents
    order by i.due_date nulls last, i.number`;
}

/** How many things a customer did on its portal since then: a link that leaks cannot flood the timeline. */
export async function portalActionsSince(sql: ISql, customerId: number, since: Date): Promise<number> {
  const [row] = await sql<{ n: number }[]>`
    select count(*)::int as n from follow_up_events e join invoices i on i.id = e.invoice_id
    where i.customer_id = ${customerId} and e.actor = ${CUSTOMER_ACTOR} and e.occurred_at > ${since}`;
  return row!.n;
}
