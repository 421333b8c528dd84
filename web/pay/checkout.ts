import type { Customer } from '../../db/queries/customers.js';
import { stripeLinkOf } from '../../db/queries/stripe.js';
import { configuredStripe } from '../../services/stripe/stripe-client.js';
import type { WebDeps } from '../deps.js';

/** The most invoices one checkout pays: their ids and amounts travel in Stripe metadata (500 characters a value). */
export const MAX_INVOICES_PER_CHECKOUT = 20;

const INVOICE_WORD = { fr: 'Facture', en: 'Invoice' };

/**
 * A Stripe Checkout for the balances of one or several of a customer's invoices, at this moment:
 * one line each, and the invoices with their amounts in the metadata the webhook records them
 * from. Undefined when Stripe is not configured.
 */
export async function createCheckout(
  deps: WebDeps,
  customer: Customer,
  invoices: readonly { id: number; number: string; currency: string; balanceCents: number }[],
  urls: { success: string; cancel: string },
): Promise<string | undefined> {
  const stripe = await configuredStripe(deps.sql, deps.stripe);
  if (!stripe) return undefined;
  const link = await stripeLinkOf(deps.sql, customer.id);
  const word = INVOICE_WORD[customer.language === 'en' ? 'en' : 'fr'];
  const single = invoices.length === 1 ? invoices[0]! : undefined;
  const metadata: Record<string, string> = single
    ? { relance_invoice_id: String(single.id), relance_invoice: single.number }
    : { relance_invoices: invoices.map((i) => `${i.id}:${i.balanceCents}`).join(',') };
  const session = await stripe.checkout.sessions.create({
    mode: 'payment',
    line_items: invoices.map((i) => ({ quantity: 1, price_data: { currency: i.currency.toLowerCase(), unit_amount: i.balanceCents, product_data: { name: `${word} ${i.number}` } } })),
    ...(link ? { customer: link.stripeCustomerId } : customer.emails[0] ? { customer_email: customer.emails[0] } : {}),
    client_reference_id: single ? String(single.id) : `customer-${customer.id}`,
    metadata,
    payment_intent_data: { metadata },
    locale: customer.language === 'en' ? 'en' : 'fr',
    success_url: urls.success,
    cancel_url: urls.cancel,
  });
  return session.url!;
}

/** What one paid checkout settles, invoice by invoice: its metadata's amounts, never more than was paid in all. */
export function checkoutParts(metadata: Record<string, string> | null | undefined, amountTotal: number): { invoiceId: number; amountCents: number }[] {
  const single = Number(metadata?.relance_invoice_id);
  if (single) return [{ invoiceId: single, amountCents: amountTotal }];
  const parts = (metadata?.relance_invoices ?? '').split(',').flatMap((part) => {
    const [id, cents] = part.split(':').map(Number);
    return id && cents && cents > 0 ? [{ invoiceId: id, amountCents: cents }] : [];
  });
  let left = amountTotal;
  return parts.flatMap((p) => {
    const amountCents = Math.min(p.amountCents, left);
    left -= amountCents;
    return amountCents > 0 ? [{ ...p, amountCents }] : [];
  });
}
