import { html } from 'hono/html';
import type { Customer } from '../../../db/queries/customers.js';
import type { Mandate } from '../../../db/queries/mandates.js';
import type { StripeLink } from '../../../db/queries/stripe.js';
import type { Messages } from '../../i18n.js';
import { sitePath } from '../paths.js';

/** The customer's Stripe registration: its ids once registered, else the button (or what is missing). */
export function stripeCard(p: { customer: Customer; mandate?: Mandate; link?: StripeLink; configured: boolean; csrf: string; t: Messages }) {
  const { customer, mandate, link, t } = p;
  if (!p.configured && !link) return '';
  const ids = link
    ? html`<dl class="ids" data-testid="stripe-ids">
        <dt>${t.stripeCustomer}</dt><dd><code>${link.stripeCustomerId}</code></dd>
        <dt>${t.stripePaymentMethod}</dt><dd><code>${link.paymentMethodId}</code></dd>
        <dt>${t.stripeMandate}</dt><dd>${link.mandateId ? html`<code>${link.mandateId}</code>` : html`<span class="muted">${t.mandatePending} (<code>${link.setupIntentId}</code>)</span>`}</dd>
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
