import { Hono, type Context } from 'hono';
import { setCookie } from 'hono/cookie';
import { userWithHashByEmail } from '../../db/queries/users.js';
import { verifyUserPassword } from '../auth/passwords.js';
import { closeSession, currentUser, openSession, sameToken } from '../auth/sessions.js';
import type { AdminDeps, AdminEnv } from './env.js';
import { limitUploads } from '../body-limits.js';
import { refuseNul } from '../refuse-nul.js';
import { LANG_COOKIE, langOf, messages } from '../i18n.js';
import { dashboardPage } from './dashboard.js';
import { customerRoutes } from './customer-routes.js';
import { followUpExport } from './follow-up.js';
import { importRoutes } from './import-routes.js';
import { invoiceRoutes } from './invoice-routes.js';
import { accountRoutes, documentRoutes, reviewRoutes, sentRoutes, templateRoutes } from './page-routes.js';
import { PreviewStore } from './preview-store.js';
import { runRoutes } from './run-routes.js';
import { sepaRoutes } from './sepa-routes.js';
import { settingsRoutes } from './settings-routes.js';
import { layout } from './views/layout.js';
import { loginView, type LoginState } from './views/login.js';
import { originOf, sameOriginReferrer } from './paths.js';
import { openSignInGate, signInSucceeded } from '../auth/login-throttle.js';


const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/** The server-rendered admin site: every page needs a session, every change a CSRF token. */
export function createAdmin(deps: AdminDeps) {
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
    return c.redirect(sameOriginReferrer(c.req.header('referer'), origin));
  });

  app.get('/login', (c) => c.html(loginPage(c)));
  app.post('/login', refuseNul, async (c) => {
    const form = await c.req.parseBody();
    const email = String(form.email ?? '').trim().slice(0, 320);
    const gate = await openSignInGate(c, deps.sql, email, deps.trustProxy);
    if ('waitMinutes' in gate) return c.html(loginPage(c, { email, waitMinutes: gate.waitMinutes }), 429);
    const user = email ? await userWithHashByEmail(deps.sql, email) : undefined;
    if (!(await verifyUserPassword(user, String(form.password ?? '')))) return c.html(loginPage(c, { email, error: true }), 401);
    await signInSucceeded(c, deps.sql, gate, secureCookie);
    await openSession(c, deps.sql, user!, secureCookie);
    return c.redirect('/');
  });

  app.use('*', async (c, next) => {
    // A full page shown by GET takes the outcome the redirect after an action kept for it.
    const signedIn = await currentUser(c, deps.sql, c.req.method === 'GET' && c.req.header('hx-request') !== 'true');
    if (!signedIn) {
      if (c.req.header('hx-request')) {
        c.header('HX-Redirect', '/login');
        return c.body(null, 401);
      }
      return SAFE_METHODS.has(c.req.method) ? c.redirect('/login') : c.text('Sign in first', 401);
    }
    const { user, flash } = signedIn;
    c.set('user', user);
    c.set('flash', flash);
    c.setRenderer((title, body, status) => {
      const lang = langOf(c);
      return c.html(layout({ title, lang, t: messages(lang), user, body }), status);
    });
    await next();
  }, limitUploads, async (c, next) => {
    if (!SAFE_METHODS.has(c.req.method)) {
      const sent = c.req.header('x-csrf-token') ?? String((await c.req.parseBody())._csrf ?? '');
      if (!sameToken(sent, c.get('user').csrfToken)) return c.text('Missing or wrong CSRF token', 403);
    }
    await next();
  }, refuseNul);

  app.post('/logout', async (c) => {
    await closeSession(c, deps.sql);
    return c.redirect('/login');
  });
  const editor = { ...deps, previews: deps.previews ?? new PreviewStore() };
  app.get('/', (c) => dashboardPage(c, deps));
  app.get('/invoices.csv', (c) => followUpExport(c, deps));
  app.route('/invoices', invoiceRoutes(deps));
  app.route('/customers', customerRoutes(deps));
  app.route('/review', reviewRoutes(deps));
  app.route('/runs', runRoutes(deps));
  app.route('/sepa', sepaRoutes(deps));
  app.route('/import', importRoutes(deps));
  app.route('/account', accountRoutes(deps));
  app.route('/settings', settingsRoutes(deps, editor));
  app.route('/', documentRoutes(deps));
  app.route('/', sentRoutes(deps));
  app.route('/', templateRoutes(editor));
  return app;
}

function loginPage(c: Context, state: LoginState = {}) {
  const lang = langOf(c);
  const t = messages(lang);
  return layout({ title: t.login, lang, t, body: loginView(state, t) });
}
