import { getConnInfo } from '@hono/node-server/conninfo';
import type { Context } from 'hono';
import { getCookie, setCookie } from 'hono/cookie';
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import type { Sql } from '../../db/client.js';
import { clearFailures, takeAttemptSlot, type SignInAttempt } from '../../db/queries/login-failures.js';
import { deviceCookieSecret } from '../../db/queries/settings.js';

// Five wrong passwords for one address (or from one trusted browser), or twenty from one client,
// within a quarter of an hour.
const LIMITS = { windowMinutes: 15, perEmail: 5, perDevice: 5, perClient: 20 };

/**
 * OWASP's device cookie: a browser that signed in successfully carries a signed proof of it for that
 * address, and its attempts are counted on their own. A stranger guessing an address locks out
 * untrusted clients only; its owner's browser still gets in.
 */
const DEVICE_COOKIE = 'relance_device';
const DEVICE_DAYS = 365;

const signature = (secret: string, email: string, nonce: string) =>
  createHmac('sha256', secret).update(`device:${email.toLowerCase()}:${nonce}`).digest('base64url');

/** The device nonce when the browser's cookie is a valid one for this address, else null. */
async function trustedDevice(c: Context, sql: Sql, email: string): Promise<string | null> {
  const [forEmail, nonce, sig] = (getCookie(c, DEVICE_COOKIE) ?? '').split('.');
  if (!forEmail || !nonce || !sig || Buffer.from(forEmail, 'base64url').toString() !== email.toLowerCase()) return null;
  const expected = Buffer.from(signature(await deviceCookieSecret(sql), email, nonce));
  const given = Buffer.from(sig);
  return given.length === expected.length && timingSafeEqual(given, expected) ? nonce : null;
}

async function trustDevice(c: Context, sql: Sql, email: string, secure: boolean): Promise<void> {
  const nonce = randomBytes(16).toString('base64url');
  const value = `${Buffer.from(email.toLowerCase()).toString('base64url')}.${nonce}.${signature(await deviceCookieSecret(sql), email, nonce)}`;
  setCookie(c, DEVICE_COOKIE, value, { httpOnly: true, sameSite: 'Strict', secure, path: '/login', maxAge: DEVICE_DAYS * 86_400 });
}

/**
 * The client's address: the connecting one, or behind `trustProxy` reverse proxies the address the
 * outermost of them recorded in X-Forwarded-For (anything further left was written by the client).
 */
export function clientAddress(c: Context, trustProxy: number): string {
  let connecting = 'unknown';
  try {
    connecting = getConnInfo(c).remote.address ?? 'unknown';
  } catch {
    // app.request in tests has no socket.
  }
  if (trustProxy === 0) return connecting;
  const forwarded = (c.req.header('x-forwarded-for') ?? '').split(',').map((a) => a.trim()).filter(Boolean);
  return forwarded.at(-trustProxy) ?? connecting;
}

export type SignInGate = { attempt: SignInAttempt; slotId: number } | { waitMinutes: number };

/**
 * Takes this attempt's place before any password is checked, so parallel guesses count one by one.
 * Returns the minutes to wait when past the limits.
 */
export async function openSignInGate(c: Context, sql: Sql, email: string, trustProxy: number): Promise<SignInGate> {
  const attempt = { email, client: clientAddress(c, trustProxy), device: await trustedDevice(c, sql, email) };
  const slot = await takeAttemptSlot(sql, attempt, LIMITS);
  return 'id' in slot ? { attempt, slotId: slot.id } : slot;
}

/** The password was right: the attempt and the earlier failures it outweighs are forgotten, and this browser is trusted. */
export async function signInSucceeded(c: Context, sql: Sql, gate: { attempt: SignInAttempt; slotId: number }, secure: boolean): Promise<void> {
  await clearFailures(sql, gate.attempt, gate.slotId);
  await trustDevice(c, sql, gate.attempt.email, secure);
}
