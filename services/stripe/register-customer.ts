import type Stripe from 'stripe';

export interface StripeRegistration {
  stripeCustomerId: string;
  paymentMethodId: string;
  setupIntentId: string;
  /** Null until Stripe has named the mandate (the webhook then fills it in). */
  mandateId: string | null;
}

/**
 * Makes the customer a Stripe customer with a SEPA debit payment method on their IBAN, and records
 * their signed paper mandate with Stripe (an offline acceptance) through a confirmed setup intent,
 * so later debits can run off-session.
 */
export async function registerStripeCustomer(
  stripe: Stripe,
  c: { ref: string; name: string; email: string; language: string; iban: string; holder: string; mandateReference: string },
): Promise<StripeRegistration> {
  const metadata = { relance_customer: c.ref, mandate_reference: c.mandateReference };
  const customer = await stripe.customers.create({ name: c.name, email: c.email, preferred_locales: [c.language], metadata });
  const method = await stripe.paymentMethods.create({
    type: 'sepa_debit', sepa_debit: { iban: c.iban }, billing_details: { name: c.holder, email: c.email }, metadata,
  });
  const setup = await stripe.setupIntents.create({
    customer: customer.id, payment_method: method.id, allowed_payment_method_types: ['sepa_debit'], usage: 'off_session', confirm: true,
    mandate_data: { customer_acceptance: { type: 'offline' } }, metadata,
  });
  const mandate = typeof setup.mandate === 'string' ? setup.mandate : (setup.mandate?.id ?? null);
  return { stripeCustomerId: customer.id, paymentMethodId: method.id, setupIntentId: setup.id, mandateId: mandate };
}
