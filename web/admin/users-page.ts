import type { Context } from 'hono';
import { z } from 'zod';
import { writeAudit } from '../../db/queries/audit.js';
import { changeUser, createUser, listUsers, replacePassword, userById, userWithHashByEmail } from '../../db/queries/users.js';
import { hashPassword } from '../auth/passwords.js';
import type { WebDeps } from '../deps.js';
import { langOf, messages } from '../i18n.js';
import { newPasswordForm } from './account-page.js';
import { parseForm, refusal } from './form.js';
import type { AdminEnv } from './env.js';
import { outcomeOnPage, type Flash } from './flash.js';
import { usersView } from './views/users.js';

const newUserForm = z.object({
  email: z.email('an e-mail address').transform((v) => v.toLowerCase()),
  name: z.string().trim().min(1, 'required').max(120),
  role: z.enum(['admin', 'finance'], 'admin or finance'),
  password: z.string().min(12, 'at least 12 characters').max(200),
});

export async function usersPage(c: Context<AdminEnv>, deps: WebDeps, flash?: Flash) {
  const t = messages(langOf(c));
  const shown = await outcomeOnPage(c, deps.sql, flash, '/settings/users');
  if (shown.redirect) return shown.redirect;
  return c.render(t.users, usersView({ users: await listUsers(deps.sql), me: c.get('user'), flash: shown.flash, t }), shown.status);
}

export async function addUser(c: Context<AdminEnv>, deps: WebDeps) {
  const t = messages(langOf(c));
  const parsed = parseForm(newUserForm, await c.req.parseBody(), langOf(c));
  if (!parsed.ok) return usersPage(c, deps, { ok: false, text: `${t.refused}: ${parsed.message}` });
  const { password, ...user } = parsed.value;
  if (await userWithHashByEmail(deps.sql, user.email)) return usersPage(c, deps, { ok: false, text: refusal(c, 'email', `already a user`) });
  const created = await createUser(deps.sql, { ...user, passwordHash: await hashPassword(password) });
  await writeAudit(deps.sql, { userId: c.get('user').id, action: 'user.create', entity: `user:${created.email}`, before: null, after: user });
  return usersPage(c, deps, { ok: true, text: t.done });
}

const roleForm = z.object({ role: z.enum(['admin', 'finance'], 'admin or finance') });

/** A user's role changed, or the user removed: never the last administrator, never oneself. */
function userChange(deps: WebDeps, change: 'role' | 'delete') {
  return async (c: Context<AdminEnv>) => {
    const t = messages(langOf(c));
    const target = await userById(deps.sql, Number(c.req.param('id')));
    if (!target) return usersPage(c, deps, { ok: false, text: refusal(c, 'user', `not found`) });
    if (change === 'delete' && target.id === c.get('user').id) return usersPage(c, deps, { ok: false, text: `${t.refused}: ${t.cannotDeleteSelf}` });
    const form = change === 'role' ? parseForm(roleForm, await c.req.parseBody(), langOf(c)) : null;
    if (form && !form.ok) return usersPage(c, deps, { ok: false, text: `${t.refused}: ${form.message}` });
    const role = form?.ok ? form.value.role : null;
    const outcome = await changeUser(deps.sql, target.id, role ? { role } : 'delete');
    if (outcome === 'last_admin') return usersPage(c, deps, { ok: false, text: `${t.refused}: ${t.lastAdmin}` });
    await writeAudit(deps.sql, {
      userId: c.get('user').id, action: role ? 'user.role' : 'user.delete', entity: `user:${target.email}`,
      before: { role: target.role }, after: role ? { role } : null,
    });
    return usersPage(c, deps, { ok: true, text: t.done });
  };
}

export const changeRoleAction = (deps: WebDeps) => userChange(deps, 'role');
export const deleteUserAction = (deps: WebDeps) => userChange(deps, 'delete');

/** An administrator sets another user's password (forgotten, or a departure): that user's sessions end. */
export async function resetUserPassword(c: Context<AdminEnv>, deps: WebDeps) {
  const t = messages(langOf(c));
  const target = await userById(deps.sql, Number(c.req.param('id')));
  if (!target) return usersPage(c, deps, { ok: false, text: refusal(c, 'user', `not found`) });
  if (target.id === c.get('user').id) return usersPage(c, deps, { ok: false, text: `${t.refused}: ${t.ownPasswordOnAccount}` });
  const parsed = parseForm(newPasswordForm, await c.req.parseBody(), langOf(c));
  if (!parsed.ok) return usersPage(c, deps, { ok: false, text: `${t.refused}: ${parsed.message}` });
  await replacePassword(deps.sql, target.id, await hashPassword(parsed.value.password));
  await writeAudit(deps.sql, { userId: c.get('user').id, action: 'user.password_reset', entity: `user:${target.email}`, before: null, after: null });
  return usersPage(c, deps, { ok: true, text: t.passwordResetDone(target.email) });
}
