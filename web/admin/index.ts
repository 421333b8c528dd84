import { Hono, type Context } from 'hono';
import { setCookie } from 'hono/cookie';
import { html } from 'hono/html';
import { userWithHashByEmail } from '../../db/queries/users.js';
import { passwordMatches } from '../auth/passwords.js';
import { closeSession, currentUser, openSession, sameToken, type SessionUser } from '../auth/sessions.js';
import type { WebDeps } from '../deps.js';
import { LANG_COOKIE, langOf, messages } from '../i18n.js';
import { dashboardPage } from './dashboard.js';
import { customerPage, customerPauseAction } from './customer-page.js';
import { followUpPage } from './follow-up.js';
import { invoiceAction, invoicePage } from './invoice-page.js';
import { layout } from './layout.js';

export type AdminEnv = { Variables: { user: SessionUser } };

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/** The server-rendered admin site: every page needs a session, every change a CSRF token. */
export function createAdmin(deps: WebDeps & { publicUrl: string }) {
  const secureCookie = deps.publicUrl.startsWith('https://');
  const origin = new URL(deps.publicUrl).origin;
  const app = new Hono<AdminEnv>();

  // A cross-site request is refused before anything else, login included.
  app.use('*', async (c, next) => {
    if (!SAFE_METHODS.has(c.req.method)) {
      const from = c.req.header('origin') ?? c.req.header('referer');
      if (from && originOf(from) !== origin) return c.text('Cross-site request refused', 403);
    }
    await next();
  });

  app.get('/lang/:lang', (c) => {
    setCookie(c, LANG_COOKIE, c.req.param('lang') === 'en' ? 'en' : 'fr', { path: '/', sameSite: 'Lax', maxAge: 365 * 86_400 });
    const back = c.req.header('referer');
    return c.redirect(back && originOf(back) === origin ? back : '/');
  });

  app.get('/login', (c) => c.html(loginPage(c)));
  app.post('/login', async (c) => {
    const form = await c.req.parseBody();
    const email = String(form.email ?? '').trim();
    const user = email ? await userWithHashByEmail(deps.sql, email) : undefined;
    if (!user || !(await passwordMatches(user.passwordHash, String(form.password ?? '')))) {
      return c.html(loginPage(c, { email, error: true }), 401);
    }
    await openSession(c, deps.sql, user, secureCookie);
    return c.redirect('/');
  });

  app.use('*', async (c, next) => {
    const user = await currentUser(c, deps.sql);
    if (!user) {
      if (c.req.header('hx-request')) {
        c.header('HX-Redirect', '/login');
        return c.body(null, 401);
      }
      return SAFE_METHODS.has(c.req.method) ? c.redirect('/login') : c.text('Sign in first', 401);
    }
    if (!SAFE_METHODS.has(c.req.method)) {
      const sent = c.req.header('x-csrf-token') ?? String((await c.req.parseBody())._csrf ?? '');
      if (!sameToken(sent, user.csrfToken)) return c.text('Missing or wrong CSRF token', 403);
    }
    c.set('user', user);
    await next();
  });

  app.post('/logout', async (c) => {
    await closeSession(c, deps.sql);
    return c.redirect('/login');
  });
  app.get('/', (c) => dashboardPage(c, deps));
  app.get('/invoices', (c) => followUpPage(c, deps));
  app.get('/invoices/:number', (c) => invoicePage(c, deps));
  app.post('/invoices/:number/:action', (c) => invoiceAction(c, deps));
  app.get('/customers/:ref', (c) => customerPage(c, deps));
  app.post('/customers/:ref/:action{pause|resume}', (c) => customerPauseAction(c, deps));
  return app;
}

/** The origin of a header value; "null" or garbage count as no match. */
function originOf(value: string): string | null {
  return URL.canParse(value) ? new URL(value).origin : null;
}

function loginPage(c: Context, state: { email?: string; error?: boolean } = {}) {
  const lang = langOf(c);
  const t = messages(lang);
  return layout({
    title: t.login, lang, t,
    body: html`<section class="card login">
      <h1>${t.login}</h1>
      ${state.error ? html`<p class="error" role="alert">${t.badCredentials}</p>` : ''}
      <form method="post" action="/login">
        <label for="email">${t.email}</label>
        <input id="email" name="email" type="email" autocomplete="username" required value="${state.email ?? ''}">
        <label for="password">${t.password}</label>
        <input id="password" name="password" type="password" autocomplete="current-password" required>
        <button type="submit">${t.signIn}</button>
      </form>
    </section>`,
  });
}
