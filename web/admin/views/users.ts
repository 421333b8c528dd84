import { html } from 'hono/html';
import type { listUsers, Role } from '../../../db/queries/users.js';
import type { SessionUser } from '../../auth/sessions.js';
import type { Messages } from '../../i18n.js';
import type { Flash } from '../env.js';
import { flashOf } from './flash.js';
import { sitePath } from '../paths.js';

export type UsersModel = { users: Awaited<ReturnType<typeof listUsers>>; me: SessionUser; flash?: Flash; t: Messages };

/** Who may sign in, and with which role. */
export function usersView({ users, me, flash, t }: UsersModel) {
  const roleSelect = (role: Role) =>
    html`<select name="role">${(['finance', 'admin'] as const).map((r) => html`<option value="${r}" ${r === role ? 'selected' : ''}>${r}</option>`)}</select>`;
  return html`<h1>${t.users}</h1>${flashOf(flash)}
      <section class="card"><table><thead><tr><th>${t.email}</th><th>${t.name}</th><th>${t.role}</th><th></th><th>${t.password}</th></tr></thead>
        <tbody>${users.map(
          (u) => html`<tr data-user="${u.email}"><td>${u.email}</td><td>${u.name}</td>
            <td><form method="post" action="${sitePath`/settings/users/${u.id}/role`}" class="inline">
              <input type="hidden" name="_csrf" value="${me.csrfToken}">${roleSelect(u.role)}<button>${t.save}</button></form></td>
            <td>${u.id === me.id ? html`<a href="/account">${t.you}</a>` : html`<form method="post" action="${sitePath`/settings/users/${u.id}/delete`}" class="inline">
              <input type="hidden" name="_csrf" value="${me.csrfToken}"><button class="danger">${t.delete}</button></form>`}</td>
            <td>${u.id === me.id ? '' : html`<form method="post" action="${sitePath`/settings/users/${u.id}/password`}" class="inline" data-testid="reset-password">
              <input type="hidden" name="_csrf" value="${me.csrfToken}">
              <input name="password" type="password" minlength="12" required autocomplete="new-password" placeholder="${t.newPassword}" aria-label="${t.newPassword}">
              <input name="confirmation" type="password" minlength="12" required autocomplete="new-password" placeholder="${t.confirmPassword}" aria-label="${t.confirmPassword}">
              <button>${t.resetPassword}</button></form>`}</td></tr>`,
        )}</tbody></table></section>
      <form method="post" action="/settings/users" class="card form-grid">
        <input type="hidden" name="_csrf" value="${me.csrfToken}">
        <h2>${t.addUser}</h2>
        <label>${t.email}<input name="email" type="email" required></label>
        <label>${t.name}<input name="name" required maxlength="120"></label>
        <label>${t.role}${roleSelect('finance')}</label>
        <label>${t.password}<input name="password" type="password" minlength="12" required autocomplete="new-password"></label>
        <div><button type="submit" class="primary">${t.addUser}</button></div>
      </form>`;
}
