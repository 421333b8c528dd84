import { createHmac, timingSafeEqual } from 'node:crypto';

/** What a pay link opens: one invoice's checkout, or a customer's list of open invoices (statements). */
export type PayTarget = 'invoice' | 'customer';

function tokenOf(secret: string, target: PayTarget, id: number): string {
  return createHmac('sha256', secret).update(`pay:${target}:${id}`).digest('base64url').slice(0, 32);
}

/** A link anyone holding it may open, and nobody can forge for another invoice. */
export function payLink(publicUrl: string, secret: string, target: PayTarget, id: number): string {
  return `${publicUrl}/pay/${target}/${id}/${tokenOf(secret, target, id)}`;
}

export function isPayToken(secret: string, target: PayTarget, id: number, token: string): boolean {
  const expected = Buffer.from(tokenOf(secret, target, id));
  const given = Buffer.from(token);
  return given.length === expected.length && timingSafeEqual(given, expected);
}
