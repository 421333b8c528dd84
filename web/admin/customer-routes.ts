import { Hono } from 'hono';
import type { WebDeps } from '../deps.js';
import { registerWithStripeAction } from './customer-stripe-action.js';
import { cancelStatementAction, customerMandateAction, customerPage, customerPaymentTermsAction, customerPolicyAction, pauseCustomerAction, resumeCustomerAction } from './customer-page.js';
import { adminOnly } from './admin-only.js';
import type { AdminEnv } from './env.js';

/** A customer's page and what finance does to the customer: pause, mandate, Stripe, statements; its policy for administrators. */
export function customerRoutes(deps: WebDeps) {
  return new Hono<AdminEnv>()
    .get('/:ref', (c) => customerPage(c, deps))
    .post('/:ref/pause', (c) => pauseCustomerAction(c, deps))
    .post('/:ref/resume', (c) => resumeCustomerAction(c, deps))
    .post('/:ref/mandate', (c) => customerMandateAction(c, deps))
    .post('/:ref/stripe', (c) => registerWithStripeAction(c, deps))
    .post('/:ref/statements/:id{[0-9]{1,15}}/cancel', (c) => cancelStatementAction(c, deps))
    .post('/:ref/policy', adminOnly, (c) => customerPolicyAction(c, deps))
    .post('/:ref/payment-terms', adminOnly, (c) => customerPaymentTermsAction(c, deps));
}
