import Stripe from 'stripe';
import type { Sql } from '../../db/client.js';
import { getStripeKeys } from '../../db/queries/stripe.js';

/** A Stripe client for a secret key; the keys live in the settings, where finance can change them. */
export type StripeConnect = (secretKey: string) => Stripe;

/** `apiUrl` sends every call elsewhere than api.stripe.com: stripe-mock in the tests. */
export function createStripeConnect(apiUrl?: string): StripeConnect {
  const target = apiUrl ? new URL(apiUrl) : undefined;
  const endpoint = target && { host: target.hostname, port: Number(target.port || (target.protocol === 'https:' ? 443 : 80)), protocol: target.protocol === 'https:' ? 'https' as const : 'http' as const };
  return (secretKey) => new Stripe(secretKey, { maxNetworkRetries: 2, timeout: 20_000, appInfo: { name: 'Relance' }, ...endpoint });
}

/** The client for the saved secret key, or undefined while Stripe is not configured. */
export async function configuredStripe(sql: Sql, connect: StripeConnect): Promise<Stripe | undefined> {
  const { secretKey } = await getStripeKeys(sql);
  return secretKey ? connect(secretKey) : undefined;
}
