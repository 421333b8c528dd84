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

// 64 bits of signature: short enough to type from a letter, far too many to guess (and each link is limited per hour).
const shortSignature = (secret: string, customerId: number, issuedOn: string) =>
  createHmac('sha256', secret).update(`portal-short:${customerId}:${issuedOn}`).digest('hex').slice(0, 16);

/** The customer page's address as a letter prints it under its QR code: `/p/1234-20261202-3f9a…`, opening the signed link of that day. */
export function shortPortalLink(publicUrl: string, secret: string, customerId: number, issuedOn: string): string {
  return `${publicUrl}/p/${customerId}-${issuedOn.replaceAll('-', '')}-${shortSignature(secret, customerId, issuedOn)}`;
}

/** The customer and day a short address was made for, when its signature is ours. */
export function checkShortPortalCode(secret: string, code: string): { customerId: number; issuedOn: string } | undefined {
  const match = /^(\d{1,15})-(\d{4})(\d{2})(\d{2})-([0-9a-f]{16})$/.exec(code.toLowerCase());
  if (!match) return undefined;
  const customerId = Number(match[1]);
  const issuedOn = `${match[2]}-${match[3]}-${match[4]}`;
  const expected = Buffer.from(shortSignature(secret, customerId, issuedOn));
  const given = Buffer.from(match[5]!);
  return given.length === expected.length && timingSafeEqual(given, expected) ? { customerId, issuedOn } : undefined;
}
