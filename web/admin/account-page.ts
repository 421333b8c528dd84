import type { Context } from 'hono';
import { z } from 'zod';
import { writeAudit } from '../../db/queries/audit.js';
import { passwordHashOf, replacePassword } from '../../db/queries/users.js';
import { hashPassword, passwordMatches } from '../auth/passwords.js';
import { openSession } from '../auth/sessions.js';
import type { WebDeps } from '../deps.js';
import { langOf, messages } from '../i18n.js';
import { parseForm, refusal } from './form.js';
import type { AdminEnv } from './env.js';
import type { Flash } from './flash.js';
import { accountView } from './views/account.js';

/** A new password, typed twice; the same rule for one's own and for an administrator's reset. */
export const newPasswordFields = {
  password: z.string().min(12, 'at least 12 characters').max(200, 'at most 200 characters'),
  confirmation: z.string(),
};
const samePassword = (v: { password: string; confirmation: string }) => v.password === v.confirmation;
export const newPasswordForm = z.object(newPasswordFields).refine(samePassword, { path: ['confirmation'], message: 'does not match the new password' });
const ownPasswordForm = z.object({ current: z.string().min(1, 'required'), ...newPasswordFields }).refine(samePassword, { path: ['confirmation'], message: 'does not match the new password' });

/** The signed-in user's own account: who they are, and their password. */
export function accountPage(c: Context<AdminEnv>, flash?: Flash, status: 200 | 401 | 422 = 200) {
  const t = messages(langOf(c));
  return c.render(t.myAccount, accountView({ me: c.get('user'), flash, t }), status);
}

/**
 * Changes one's own password: the current one is required (a session left open is not enough),
 * every other session of the user ends, and this browser gets a fresh one.
 */
export async function changeOwnPassword(c: Context<AdminEnv>, deps: WebDeps) {
  const t = messages(langOf(c));
  const me = c.get('user');
  const parsed = parseForm(ownPasswordForm, await c.req.parseBody(), langOf(c));
  if (!parsed.ok) return accountPage(c, { ok: false, text: `${t.refused}: ${parsed.message}` }, 422);
  const hash = await passwordHashOf(deps.sql, me.id);
  if (!hash || !(await passwordMatches(hash, parsed.value.current))) return accountPage(c, { ok: false, text: refusal(c, 'current', t.wrongCurrentPassword) }, 401);
  await replacePassword(deps.sql, me.id, await hashPassword(parsed.value.password));
  await writeAudit(deps.sql, { userId: me.id, action: 'user.password', entity: `user:${me.email}`, before: null, after: null });
  await openSession(c, deps.sql, me, deps.publicUrl.startsWith('https://'));
  return c.redirect('/account?changed=1', 303);
}
