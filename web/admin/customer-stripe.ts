import type { Context } from 'hono';
import { html } from 'hono/html';
import { registerStripeCustomer } from '../../activities/stripe/register-customer.js';
import { configuredStripe } from '../../activities/stripe/stripe-client.js';
import { stripeErrorMessage } from '../../activities/stripe/stripe-errors.js';
import { writeAudit } from '../../db/queries/audit.js';
import { customerByRef, type Customer } from '../../db/queries/customers.js';
import { mandateOf, type Mandate } from '../../db/queries/mandates.js';
import { saveStripeLink, type StripeLink } from '../../db/queries/stripe.js';
import type { WebDeps } from '../deps.js';
import { langOf, messages, type Messages } from '../i18n.js';
import { customerPage } from './customer-page.js';
import type { AdminEnv } from './index.js';
import { sitePath } from './paths.js';

/** The customer's Stripe registration: its ids once registered, else the button (or what is missing). */
export function stripeCard(p: { customer: Customer; mandate?: Mandate; link?: StripeLink; configured: boolean; csrf: string; t: Messages }) {
  const { customer, mandate, link, t } = p;
  if (!p.configured && !link) return '';
  const ids = link
    ? html`<dl class="ids" data-testid="stripe-ids">
        <dt>Customer</dt><dd><code>${link.stripeCustomerId}</code></dd>
        <dt>Payment method</dt><dd><code>${link.paymentMethodId}</code></dd>
        <dt>Mandate</dt><dd>${link.mandateId ? html`<code>${link.mandateId}</code>` : html`<span class="muted">${t.mandatePending} (<code>${link.setupIntentId}</code>)</span>`}</dd>
      </dl>`
    : '';
  return html`<section class="card" id="stripe"><h2>${link ? t.stripeRegistered : t.stripe}</h2>${ids}
    ${!link && !mandate ? html`<p class="muted">${t.stripeNeedsMandate}</p>` : ''}
    ${!link && mandate
      ? html`<form method="post" action="${sitePath`/customers/${customer.ref}/stripe`}" class="action"><input type="hidden" name="_csrf" value="${p.csrf}">
          <button type="submit">${t.stripeRegister}</button></form>`
      : ''}
  </section>`;
}

/** Registers the customer's IBAN and mandate with Stripe; Stripe's refusal is shown as it gave it. */
export async function registerWithStripeAction(c: Context<AdminEnv>, deps: WebDeps) {
  const t = messages(langOf(c));
  const customer = await customerByRef(deps.sql, c.req.param('ref')!);
  if (!customer) return customerPage(c, deps);
  const mandate = await mandateOf(deps.sql, customer.id);
  if (!mandate) return customerPage(c, deps, { ok: false, text: `${t.refused}: iban: ${t.stripeNeedsMandate}` });
  const email = customer.emails[0];
  if (!email) return customerPage(c, deps, { ok: false, text: `${t.refused}: emails: ${t.stripeNeedsEmail}` });
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
    return customerPage(c, deps, { ok: false, text: `${t.refused}: Stripe: ${stripeErrorMessage(err)}` });
  }
}
