import { createHmac, timingSafeEqual } from 'node:crypto';
import { addDays } from '../workflows/schedule/calendar-date.js';

/** What a signed link opens: one invoice's checkout, a customer's list of open invoices (statements), or the customer's portal. */
export type PayTarget = 'invoice' | 'customer' | 'portal';

const PATHS: Record<PayTarget, string> = { invoice: '/pay/invoice', customer: '/pay/customer', portal: '/portal' };

function signatureOf(secret: string, target: PayTarget, id: number, issuedOn: string): string {
  return createHmac('sha256', secret).update(`pay:${target}:${id}:${issuedOn}`).digest('base64url').slice(0, 32);
}

/**
 * A link anyone holding it may open until it expires, and nobody can forge for another invoice or
 * another day: the day it was made travels in it, signed (`20261129.<signature>`).
 */
export function payLink(publicUrl: string, secret: string, target: PayTarget, id: number, issuedOn: string): string {
  return `${publicUrl}${PATHS[target]}/${id}/${issuedOn.replaceAll('-', '')}.${signatureOf(secret, target, id, issuedOn)}`;
}

export type PayTokenCheck = { valid: false } | { valid: true; expired: boolean };

/** Whether a link's token is ours for that target, and whether it is past `validDays` after the day it was made. */
export function checkPayToken(secret: string, target: PayTarget, id: number, token: string, today: string, validDays: number): PayTokenCheck {
  const match = /^(\d{4})(\d{2})(\d{2})\.([A-Za-z0-9_-]{32})$/.exec(token);
  if (!match) return { valid: false };
  const issuedOn = `${match[1]}-${match[2]}-${match[3]}`;
  const expected = Buffer.from(signatureOf(secret, target, id, issuedOn));
  const given = Buffer.from(match[4]!);
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return { valid: false };
  return { valid: true, expired: today > addDays(issuedOn, validDays) };
}
