import { Hono } from 'hono';
import Stripe from 'stripe';
import { getSettings } from '../../db/queries/settings.js';
import { applyStripeEvent, getStripeKeys, type StripeOutcome } from '../../db/queries/stripe.js';
import { localDate } from '../../workflows/schedule/zoned-time.js';
import type { WebDeps } from '../deps.js';
import { wakeWorkflows } from '../../services/temporal/wake-workflows.js';
import { checkoutParts } from '../pay/checkout.js';

/** What an event means for Relance; undefined for the events it only acknowledges. */
function outcomeOf(event: Stripe.Event, timezone: string): StripeOutcome | undefined {
  switch (event.type) {
    case 'payment_intent.succeeded': {
      const intent = event.data.object;
      return {
        kind: 'payment_succeeded', paymentIntentId: intent.id, amountCents: intent.amount_received || intent.amount,
        currency: intent.currency.toUpperCase(), paidOn: localDate(event.created * 1000, timezone),
      };
    }
    case 'payment_intent.payment_failed': {
      const error = event.data.object.last_payment_error;
      return { kind: 'payment_failed', paymentIntentId: event.data.object.id, reason: error?.message ?? error?.code ?? 'the debit failed' };
    }
    case 'checkout.session.completed':
    case 'checkout.session.async_payment_succeeded': {
      // A pay link's checkout: paid now (card), or later for the slower methods (the second event).
      const session = event.data.object;
      const parts = checkoutParts(session.metadata, session.amount_total ?? 0);
      if (session.payment_status !== 'paid' || parts.length === 0) return undefined;
      const intent = typeof session.payment_intent === 'string' ? session.payment_intent : session.payment_intent?.id;
      return { kind: 'checkout_paid', parts, externalId: intent ?? session.id, currency: (session.currency ?? 'eur').toUpperCase(), paidOn: localDate(event.created * 1000, timezone) };
    }
    case 'setup_intent.succeeded': {
      const { id, mandate } = event.data.object;
      const mandateId = typeof mandate === 'string' ? mandate : mandate?.id;
      return mandateId ? { kind: 'mandate', setupIntentId: id, mandateId } : undefined;
    }
    default:
      return undefined;
  }
}

/**
 * Stripe's webhooks: the signature is checked against the raw body with the saved signing secret
 * (400 when it does not match, as Stripe expects), each event id is applied once, and the invoices
 * whose debit succeeded or failed wake so their dunning ends or resumes.
 */
export function createStripeWebhooks(deps: WebDeps) {
  const app = new Hono();
  app.post('/stripe', async (c) => {
    const { webhookSecret } = await getStripeKeys(deps.sql);
    if (!webhookSecret) return c.json({ error: 'not_configured', message: 'the Stripe webhook signing secret is not set (Settings → Stripe)' }, 404);
    const payload = await c.req.text();
    let event: Stripe.Event;
    try {
      event = Stripe.webhooks.constructEvent(payload, c.req.header('stripe-signature') ?? '', webhookSecret);
    } catch (err) {
      if (err instanceof Stripe.errors.StripeSignatureVerificationError) return c.json({ error: 'invalid_signature', message: err.message }, 400);
      throw err;
    }
    const { timezone } = await getSettings(deps.sql);
    const result = await applyStripeEvent(deps.sql, event, outcomeOf(event, timezone));
    await wakeWorkflows(deps, result.invoiceIds);
    return c.json({ ok: true, duplicate: result.duplicate });
  });
  return app;
}
