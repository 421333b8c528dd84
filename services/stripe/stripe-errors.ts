import Stripe from 'stripe';

/** What to tell finance when a Stripe call fails: Stripe's own words, or why it could not be reached. */
export function stripeErrorMessage(err: unknown): string {
  if (err instanceof Stripe.errors.StripeAuthenticationError) return `Stripe refused the secret key: ${err.message}`;
  if (err instanceof Stripe.errors.StripeConnectionError) return `Stripe could not be reached: ${err.message}`;
  if (err instanceof Stripe.errors.StripeError) return err.message;
  return err instanceof Error ? err.message : String(err);
}

/**
 * Errors that a retry cannot mend: the request itself was refused (bad key, bad parameters, a
 * payment declined at once). Network trouble, rate limits and Stripe's own faults are retried.
 */
export function isFinalStripeError(err: unknown): err is Stripe.errors.StripeError {
  return (
    err instanceof Stripe.errors.StripeInvalidRequestError ||
    err instanceof Stripe.errors.StripeCardError ||
    err instanceof Stripe.errors.StripeAuthenticationError ||
    err instanceof Stripe.errors.StripePermissionError
  );
}
