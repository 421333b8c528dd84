import type { Sql } from '../../db/client.js';
import { clearFailures, recentFailures, recordFailure } from '../../db/queries/login-failures.js';

// Five wrong passwords for one address, or twenty from one client, within a quarter of an hour.
const WINDOW_MINUTES = 15;
const PER_EMAIL = 5;
const PER_CLIENT = 20;

/**
 * Slows down password guessing: past the limits, sign-in is refused before the password is even
 * checked, until the window has moved on. Returns the minutes to wait, or 0 to go ahead.
 */
export async function minutesToWait(sql: Sql, email: string, client: string): Promise<number> {
  const f = await recentFailures(sql, { email, client, windowMinutes: WINDOW_MINUTES });
  if (f.forEmail < PER_EMAIL && f.fromClient < PER_CLIENT) return 0;
  const since = f.oldest ? (Date.now() - f.oldest.getTime()) / 60_000 : 0;
  return Math.max(1, Math.ceil(WINDOW_MINUTES - since));
}

export const loginFailed = (sql: Sql, email: string, client: string) => recordFailure(sql, { email, client });
export const loginSucceeded = (sql: Sql, email: string) => clearFailures(sql, email);
