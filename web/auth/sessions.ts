import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import type { Context } from 'hono';
import { deleteCookie, getCookie, setCookie } from 'hono/cookie';
import type { Sql } from '../../db/client.js';
import { clearSessionFlash, deleteSession, insertSession, keepSessionFlash, sessionUser } from '../../db/queries/sessions.js';
import type { User } from '../../db/queries/users.js';

export const SESSION_COOKIE = 'relance_session';
const SESSION_DAYS = 7;

const digest = (id: string) => createHash('sha256').update(id).digest('hex');

export type SessionUser = User & { csrfToken: string };

/** A new session for every login, so a session id planted before login is worth nothing (fixation). */
export async function openSession(c: Context, sql: Sql, user: User, secure: boolean): Promise<void> {
  const id = randomBytes(32).toString('base64url');
  await insertSession(sql, {
    idHash: digest(id),
    userId: user.id,
    csrfToken: randomBytes(32).toString('base64url'),
    expiresAt: new Date(Date.now() + SESSION_DAYS * 86_400_000),
  });
  setCookie(c, SESSION_COOKIE, id, { httpOnly: true, sameSite: 'Lax', secure, path: '/', maxAge: SESSION_DAYS * 86_400 });
}

/** The signed-in user, with the outcome kept for this page when there is one (then taken: it shows once). */
export async function currentUser(c: Context, sql: Sql, takesFlash: boolean): Promise<{ user: SessionUser; flash?: { ok: boolean; text: string } } | undefined> {
  const id = getCookie(c, SESSION_COOKIE);
  const found = id ? await sessionUser(sql, digest(id)) : undefined;
  if (!found) return undefined;
  const { flash, ...user } = found;
  if (!flash || !takesFlash) return { user };
  await clearSessionFlash(sql, digest(id!));
  return { user, flash };
}

/** An outcome for the session's next page (after a redirect), shown once. */
export async function keepFlash(c: Context, sql: Sql, flash: { ok: boolean; text: string }): Promise<void> {
  const id = getCookie(c, SESSION_COOKIE);
  if (id) await keepSessionFlash(sql, digest(id), flash);
}

export async function closeSession(c: Context, sql: Sql): Promise<void> {
  const id = getCookie(c, SESSION_COOKIE);
  if (id) await deleteSession(sql, digest(id));
  deleteCookie(c, SESSION_COOKIE, { path: '/' });
}

export function sameToken(a: string | undefined, b: string): boolean {
  if (!a) return false;
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}
