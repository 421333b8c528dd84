import { html } from 'hono/html';
import type { Messages } from '../../i18n.js';

export type LoginState = { email?: string; error?: boolean; waitMinutes?: number };

/** The sign-in form, with why the last attempt failed or how long to wait. */
export function loginView(state: LoginState, t: Messages) {
  return html`<section class="card login">
      <h1>${t.login}</h1>
      ${state.error ? html`<p class="error" role="alert">${t.badCredentials}</p>` : ''}
      ${state.waitMinutes ? html`<p class="error" role="alert">${t.tooManyAttempts(state.waitMinutes)}</p>` : ''}
      <form method="post" action="/login">
        <label for="email">${t.email}</label>
        <input id="email" name="email" type="email" autocomplete="username" required value="${state.email ?? ''}">
        <label for="password">${t.password}</label>
        <input id="password" name="password" type="password" autocomplete="current-password" required>
        <button type="submit">${t.signIn}</button>
      </form>
    </section>`;
}
