import type { Context } from 'hono';
import { registerStripeCustomer } from '../../services/stripe/register-customer.js';
import { configuredStripe } from '../../services/stripe/stripe-client.js';
import { stripeErrorMessage } from '../../services/stripe/stripe-errors.js';
import { writeAudit } from '../../db/queries/audit.js';
import { customerByRef } from '../../db/queries/customers.js';
import { mandateOf } from '../../db/queries/mandates.js';
import { saveStripeLink } from '../../db/queries/stripe.js';
import type { WebDeps } from '../deps.js';
import { langOf, messages } from '../i18n.js';
import { customerPage } from './customer-page.js';
import type { AdminEnv } from './env.js';
import { refusal } from './form.js';

/** Registers the customer's IBAN and mandate with Stripe; Stripe's refusal is shown as it gave it. */
export async function registerWithStripeAction(c: Context<AdminEnv>, deps: WebDeps) {
  const t = messages(langOf(c));
  const customer = await customerByRef(deps.sql, c.req.param('ref')!);
  if (!customer) return customerPage(c, deps);
  const mandate = await mandateOf(deps.sql, customer.id);
  if (!mandate) return customerPage(c, deps, { ok: false, text: refusal(c, 'iban', t.stripeNeedsMandate) });
  const email = customer.emails[0];
  if (!email) return customerPage(c, deps, { ok: false, text: refusal(c, 'emails', t.stripeNeedsEmail) });
  const stripe = await configuredStripe(deps.sql, deps.stripe);
  if (!stripe) return customerPage(c, deps, { ok: false, text: `${t.refused}: ${t.stripeNotConfigured}` });
  try {
    const registration = await registerStripeCustomer(stripe, {
      ref: customer.ref, name: customer.name, email, language: customer.language, iban: mandate.iban, holder: mandate.holder, mandateReference: mandate.reference,
    });
    await saveStripeLink(deps.sql, { customerId: customer.id, iban: mandate.iban, ...registration });
    await writeAudit(deps.sql, { userId: c.get('user').id, action: 'customer.stripe', entity: `customer:${customer.ref}`, before: null, after: registration });
    return customerPage(c, deps, { ok: true, text: t.done });
  } catch (err) {
    return customerPage(c, deps, { ok: false, text: refusal(c, 'Stripe', stripeErrorMessage(err)) });
  }
}
