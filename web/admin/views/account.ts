import { html } from 'hono/html';
import type { SessionUser } from '../../auth/sessions.js';
import type { Messages } from '../../i18n.js';
import type { Flash } from '../env.js';
import { flashOf } from './flash.js';

export type AccountModel = { me: SessionUser; flash?: Flash; t: Messages };

/** The signed-in user's own account: who they are, and their password. */
export function accountView({ me, flash, t }: AccountModel) {
  return html`<h1>${t.myAccount}</h1>${flashOf(flash)}
      <section class="card"><p>${me.name} · ${me.email} · ${me.role}</p></section>
      <form method="post" action="/account/password" class="card form-grid" id="password">
        <input type="hidden" name="_csrf" value="${me.csrfToken}">
        <h2>${t.changePassword}</h2>
        <label>${t.currentPassword}<input name="current" type="password" required autocomplete="current-password"></label>
        <label>${t.newPassword}<input name="password" type="password" minlength="12" required autocomplete="new-password"></label>
        <label>${t.confirmPassword}<input name="confirmation" type="password" minlength="12" required autocomplete="new-password"></label>
        <p class="muted">${t.passwordChangeEndsSessions}</p>
        <div><button type="submit" class="primary">${t.changePassword}</button></div>
      </form>`;
}
