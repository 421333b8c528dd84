import type { ISql, Sql } from '../client.js';
import { startupSecret } from './settings.js';
import { insertEvent } from './events.js';
import { applyPayment } from './payments.js';

export interface StripeKeys {
  secretKey: string | null;
  publishableKey: string | null;
  webhookSecret: string | null;
}

export async function getStripeKeys(sql: ISql): Promise<StripeKeys> {
  const [row] = await sql<StripeKeys[]>`
    select stripe_secret_key as "secretKey", stripe_publishable_key as "publishableKey", stripe_webhook_secret as "webhookSecret"
    from settings where id = 1`;
  return row!;
}

/** The secret pay links are signed with. */
export const payLinkSecret = (sql: ISql) => startupSecret(sql, 'pay_link_secret');

/** What a reminder's links need, in one read: whether Stripe takes card payments, and the links' secret. */
export async function payLinkKeys(sql: ISql): Promise<{ stripeConfigured: boolean; secret: string }> {
  const [row] = await sql<{ stripeConfigured: boolean; secret: string | null }[]>`
    select stripe_secret_key is not null and stripe_secret_key <> '' as "stripeConfigured", pay_link_secret as secret from settings where id = 1`;
  // The same refusal as the secret's own read: links signed with nothing would open for anyone.
  if (!row?.secret) return { stripeConfigured: row?.stripeConfigured ?? false, secret: await payLinkSecret(sql) };
  return { stripeConfigured: row.stripeConfigured, secret: row.secret };
}

export async function saveStripeKeys(sql: ISql, k: StripeKeys): Promise<void> {
  await sql`update settings set stripe_secret_key = ${k.secretKey}, stripe_publishable_key = ${k.publishableKey},
    stripe_webhook_secret = ${k.webhookSecret}, updated_at = now() where id = 1`;
}

export interface StripeLink {
  customerId: number;
  stripeCustomerId: string;
  paymentMethodId: string;
  setupIntentId: string;
  mandateId: string | null;
  iban: string;
  createdAt: Date;
}

export async function stripeLinkOf(sql: Sql, customerId: number): Promise<StripeLink | undefined> {
  const [row] = await sql<StripeLink[]>`
    select customer_id as "customerId", stripe_customer_id as "stripeCustomerId", payment_method_id as "paymentMethodId",
           setup_intent_id as "setupIntentId", mandate_id as "mandateId", iban, created_at as "createdAt"
    from stripe_customers where customer_id = ${customerId}`;
  return row;
}

export async function saveStripeLink(sql: Sql, l: Omit<StripeLink, 'createdAt'>): Promise<void> {
  await sql`insert into stripe_customers (customer_id, stripe_customer_id, payment_method_id, setup_intent_id, mandate_id, iban)
    values (${l.customerId}, ${l.stripeCustomerId}, ${l.paymentMethodId}, ${l.setupIntentId}, ${l.mandateId}, ${l.iban})
    on conflict (customer_id) do update set stripe_customer_id = excluded.stripe_customer_id, payment_method_id = excluded.payment_method_id,
      setup_intent_id = excluded.setup_intent_id, mandate_id = excluded.mandate_id, iban = excluded.iban, created_at = now()`;
}

export interface StripeCharge {
  invoiceId: number;
  number: string;
  amountCents: number;
  stripeCustomerId: string;
  paymentMethodId: string;
  mandateId: string | null;
}

/** The run's items Stripe collects still to ask: no payment intent yet (a retried activity skips the others), not released by a cancel. */
export async function stripeChargesToCreate(sql: Sql, runId: number): Promise<StripeCharge[]> {
  return sql<StripeCharge[]>`
    select s.invoice_id as "invoiceId", i.number, s.amount_cents as "amountCents", l.stripe_customer_id as "stripeCustomerId",
           l.payment_method_id as "paymentMethodId", l.mandate_id as "mandateId"
    from sepa_run_items s join invoices i on i.id = s.invoice_id join stripe_customers l on l.customer_id = i.customer_id
    where s.run_id = ${runId} and s.channel = 'stripe' and s.payment_intent_id is null and s.outcome = 'pending'
    order by s.invoice_id`;
}

/** Keeps the payment intent on the run item and writes the request on the invoice's timeline. */
export async function recordPaymentIntent(sql: Sql, runId: number, invoiceId: number, paymentIntentId: string, amountCents: number): Promise<void> {
  await sql.begin(async (tx) => {
    await tx`update sepa_run_items set payment_intent_id = ${paymentIntentId} where run_id = ${runId} and invoice_id = ${invoiceId}`;
    await insertEvent(tx, {
      invoiceId, kind: 'sepa_collection_sent', actor: 'sepa run', dedupeKey: `sepa-${runId}-${invoiceId}-sent`,
      params: { amountCents, paymentIntentId },
    });
  });
}

export type StripeOutcome =
  | { kind: 'payment_succeeded'; paymentIntentId: string; amountCents: number; currency: string; paidOn: string }
  | { kind: 'payment_failed'; paymentIntentId: string; reason: string }
  | { kind: 'mandate'; setupIntentId: string; mandateId: string }
  /** A pay link's or the customer page's checkout: one invoice, or several each with its part. */
  | { kind: 'checkout_paid'; parts: { invoiceId: number; amountCents: number }[]; externalId: string; currency: string; paidOn: string };

/**
 * Applies one Stripe event once: the event id is claimed in the same transaction as its effect,
 * so a replayed delivery changes nothing. Returns the invoices to wake, or `duplicate`.
 */
export async function applyStripeEvent(
  sql: Sql,
  event: { id: string; type: string },
  outcome: StripeOutcome | undefined,
): Promise<{ duplicate: boolean; invoiceIds: number[] }> {
  return sql.begin(async (tx) => {
    const [claimed] = await tx`insert into stripe_events (id, type) values (${event.id}, ${event.type}) on conflict (id) do nothing returning id`;
    if (!claimed) return { duplicate: true, invoiceIds: [] };
    if (!outcome) return { duplicate: false, invoiceIds: [] };
    if (outcome.kind === 'mandate') {
      await tx`update stripe_customers set mandate_id = ${outcome.mandateId} where setup_intent_id = ${outcome.setupIntentId}`;
      return { duplicate: false, invoiceIds: [] };
    }
    if (outcome.kind === 'checkout_paid') {
      const several = outcome.parts.length > 1;
      for (const part of outcome.parts) {
        await applyPayment(tx, {
          invoiceId: part.invoiceId, amountCents: part.amountCents, currency: outcome.currency, paidOn: outcome.paidOn,
          method: 'stripe', source: 'stripe_webhook', externalId: several ? `${outcome.externalId}:${part.invoiceId}` : outcome.externalId, actor: 'stripe',
        });
      }
      return { duplicate: false, invoiceIds: outcome.parts.map((p) => p.invoiceId) };
    }
    const [item] = await tx<{ runId: number; invoiceId: number }[]>`
      update sepa_run_items set outcome = ${outcome.kind === 'payment_succeeded' ? 'collected' : 'rejected'},
        reason = ${outcome.kind === 'payment_failed' ? outcome.reason.slice(0, 200) : null}, settled_at = now()
      where payment_intent_id = ${outcome.paymentIntentId} and outcome = 'pending'
      returning run_id as "runId", invoice_id as "invoiceId"`;
    if (!item) return { duplicate: false, invoiceIds: [] };
    if (outcome.kind === 'payment_succeeded') {
      await applyPayment(tx, {
        invoiceId: item.invoiceId, amountCents: outcome.amountCents, currency: outcome.currency, paidOn: outcome.paidOn,
        method: 'sepa_debit', source: 'stripe_webhook', externalId: outcome.paymentIntentId, actor: 'stripe',
      });
    } else {
      await insertEvent(tx, {
        invoiceId: item.invoiceId, kind: 'sepa_collection_rejected', actor: 'stripe', dedupeKey: `sepa-${item.runId}-${item.invoiceId}-rejected`,
        params: { reason: outcome.reason, viaStripe: true },
      });
    }
    return { duplicate: false, invoiceIds: [item.invoiceId] };
  });
}
