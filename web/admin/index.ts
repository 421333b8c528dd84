import { Hono, type Context } from 'hono';
import { setCookie } from 'hono/cookie';
import { createMiddleware } from 'hono/factory';
import { html } from 'hono/html';
import { userWithHashByEmail } from '../../db/queries/users.js';
import { verifyUserPassword } from '../auth/passwords.js';
import { closeSession, currentUser, openSession, sameToken } from '../auth/sessions.js';
import type { AdminEnv } from './env.js';
import type { WebDeps } from '../deps.js';
import { limitUploads } from '../body-limits.js';
import { refuseNul } from '../refuse-nul.js';
import { LANG_COOKIE, langOf, messages } from '../i18n.js';
import { dashboardPage } from './dashboard.js';
import { auditPage } from './audit-page.js';
import { cancelStatementAction, customerMandateAction, customerPage, customerPauseAction, customerPolicyAction } from './customer-page.js';
import { applyImportAction, cancelImportAction, importPage, importProgress, importRecordPage, uploadImport } from './import-page.js';
import { myTemplatesPage } from './my-templates-page.js';
import { outboxMessageHtml, outboxPage } from './outbox-page.js';
import { reminderLogCsv, reminderLogPage } from './reminder-log-page.js';
import { addStepAction, policiesPage, policyAction, policyPage, stepAction } from './policies-page.js';
import { savePolicyChargesAction, savePolicySendingAction, saveReferenceRateAction } from './policy-options.js';
import { lateChargeNoteFile } from './invoice-charges.js';
import { approveReviewAction, holdReviewItemAction, reviewPage } from './review-page.js';
import { PreviewStore } from './preview-store.js';
import { cancelRun, runPage, runProgress, runsPage, startRun } from './runs-page.js';
import {
  documentDownload, markDocumentPrinted, markRunLettersPrinted, printDocument, printRunLettersPdf, printRunLettersZip, runLettersPdf, runLettersZip,
} from './letter-downloads.js';
import { cancelSepaRunAction, sepaCollectedAction, sepaFile, sepaPage, sepaPreview, sepaRejectAction, sepaRunPage, startSepaRun } from './sepa-page.js';
import { saveSepaSettings, saveSettings, settingsPage } from './settings-page.js';
import { saveStripeSettings, testStripeConnection } from './stripe-settings.js';
import { registerWithStripeAction } from './customer-stripe-action.js';
import { dropOwnTemplate, previewAction, saveTemplateAction, servePreview, TEMPLATE_TARGET, templatePage } from './template-editor.js';
import { addUser, changeUserAction, resetUserPassword, usersPage } from './users-page.js';
import { accountPage, changeOwnPassword } from './account-page.js';
import { followUpExport } from './follow-up.js';
import { invoiceRoutes } from './invoice-routes.js';
import { layout } from './layout.js';
import { originOf, sameOriginReferrer } from './paths.js';
import { openSignInGate, signInSucceeded } from '../auth/login-throttle.js';


const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/** The server-rendered admin site: every page needs a session, every change a CSRF token. */
export function createAdmin(deps: WebDeps & { publicUrl: string; log?: (err: unknown) => void; previews?: PreviewStore }) {
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
    const user = await currentUser(c, deps.sql);
    if (!user) {
      if (c.req.header('hx-request')) {
        c.header('HX-Redirect', '/login');
        return c.body(null, 401);
      }
      return SAFE_METHODS.has(c.req.method) ? c.redirect('/login') : c.text('Sign in first', 401);
    }
    c.set('user', user);
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
  app.get('/', (c) => dashboardPage(c, deps));
  app.get('/account', (c) => accountPage(c, c.req.query('changed') ? { ok: true, text: messages(langOf(c)).passwordChanged } : undefined));
  app.post('/account/password', (c) => changeOwnPassword(c, deps));
  app.get('/invoices.csv', (c) => followUpExport(c, deps));
  app.route('/invoices', invoiceRoutes(deps));
  app.get('/late-charge-notes/:id{[0-9]{1,15}}', (c) => lateChargeNoteFile(c, deps));
  app.get('/review', (c) => reviewPage(c, deps));
  app.post('/review/:date{[0-9]{4}-[0-9]{2}-[0-9]{2}}/approve', (c) => approveReviewAction(c, deps));
  app.post('/review/:date{[0-9]{4}-[0-9]{2}-[0-9]{2}}/hold', (c) => holdReviewItemAction(c, deps));
  app.get('/customers/:ref', (c) => customerPage(c, deps));
  app.post('/customers/:ref/:action{pause|resume}', (c) => customerPauseAction(c, deps));
  app.post('/customers/:ref/statements/:id{[0-9]{1,15}}/cancel', (c) => cancelStatementAction(c, deps));
  app.post('/customers/:ref/mandate', (c) => customerMandateAction(c, deps));
  app.post('/customers/:ref/stripe', (c) => registerWithStripeAction(c, deps));
  app.get('/outbox', (c) => outboxPage(c, deps));
  app.get('/reminders', (c) => reminderLogPage(c, deps));
  app.get('/reminders.csv', (c) => reminderLogCsv(c, deps));
  app.get('/runs', (c) => runsPage(c, deps));
  app.post('/runs', (c) => startRun(c, deps));
  app.get('/runs/:id{[0-9]{1,15}}', (c) => runPage(c, deps));
  app.get('/runs/:id{[0-9]{1,15}}/progress', (c) => runProgress(c, deps));
  app.post('/runs/:id{[0-9]{1,15}}/cancel', (c) => cancelRun(c, deps));
  app.get('/runs/:id{[0-9]{1,15}}/letters.pdf', (c) => runLettersPdf(c, deps));
  app.get('/runs/:id{[0-9]{1,15}}/letters.zip', (c) => runLettersZip(c, deps));
  app.post('/runs/:id{[0-9]{1,15}}/letters.pdf', (c) => printRunLettersPdf(c, deps));
  app.post('/runs/:id{[0-9]{1,15}}/letters.zip', (c) => printRunLettersZip(c, deps));
  app.post('/runs/:id{[0-9]{1,15}}/letters/printed', (c) => markRunLettersPrinted(c, deps));
  app.get('/documents/:id{[0-9]{1,15}}', (c) => documentDownload(c, deps));
  app.post('/documents/:id{[0-9]{1,15}}', (c) => printDocument(c, deps));
  app.post('/documents/:id{[0-9]{1,15}}/printed', (c) => markDocumentPrinted(c, deps));
  app.get('/sepa', (c) => sepaPage(c, deps));
  app.get('/sepa/preview', (c) => sepaPreview(c, deps));
  app.post('/sepa', (c) => startSepaRun(c, deps));
  app.get('/sepa/:id{[0-9]{1,15}}', (c) => sepaRunPage(c, deps));
  app.get('/sepa/:id{[0-9]{1,15}}/file.zip', (c) => sepaFile(c, deps));
  app.post('/sepa/:id{[0-9]{1,15}}/collected', (c) => sepaCollectedAction(c, deps));
  app.post('/sepa/:id{[0-9]{1,15}}/reject', (c) => sepaRejectAction(c, deps));
  app.post('/sepa/:id{[0-9]{1,15}}/cancel', (c) => cancelSepaRunAction(c, deps));
  app.get('/import', (c) => importPage(c, deps));
  app.post('/import', (c) => uploadImport(c, deps));
  app.get('/import/:id{[0-9]{1,15}}', (c) => importRecordPage(c, deps));
  app.get('/import/:id{[0-9]{1,15}}/progress', (c) => importProgress(c, deps));
  app.post('/import/:id{[0-9]{1,15}}/apply', (c) => applyImportAction(c, deps));
  app.post('/import/:id{[0-9]{1,15}}/cancel', (c) => cancelImportAction(c, deps));
  app.get('/outbox/:id{[0-9]{1,15}}/html', (c) => outboxMessageHtml(c, deps));

  const editor = { ...deps, previews: deps.previews ?? new PreviewStore() };
  app.post(`/templates/preview/:target${TEMPLATE_TARGET}/:channel/:lang`, (c) => previewAction(c, editor));
  app.get('/templates/preview/:key', (c) => servePreview(c, editor.previews));
  app.get('/my-templates', (c) => myTemplatesPage(c, deps));
  app.get(`/my-templates/:target${TEMPLATE_TARGET}/:channel/:lang`, (c) => templatePage(c, editor, 'mine'));
  app.post(`/my-templates/:target${TEMPLATE_TARGET}/:channel/:lang`, (c) => saveTemplateAction(c, editor, 'mine'));
  app.post(`/my-templates/:target${TEMPLATE_TARGET}/:channel/:lang/delete`, (c) => dropOwnTemplate(c, editor));

  // Configuration: administrators only, every change written to the audit log.
  const adminOnly = createMiddleware<AdminEnv>(async (c, next) => {
    if (c.get('user').role !== 'admin') {
      const t = messages(langOf(c));
      return c.render(t.forbidden, html`<p class="card error">${t.adminsOnly}</p>`, 403);
    }
    await next();
  });
  app.use('/settings', adminOnly);
  app.use('/settings/*', adminOnly);
  app.post('/customers/:ref/policy', adminOnly, (c) => customerPolicyAction(c, deps));
  app.get('/settings', (c) => settingsPage(c, deps));
  app.post('/settings', (c) => saveSettings(c, deps));
  app.post('/settings/sepa', (c) => saveSepaSettings(c, deps));
  app.post('/settings/stripe', async (c) => settingsPage(c, deps, await saveStripeSettings(c, deps)));
  app.post('/settings/stripe/test', (c) => testStripeConnection(c, deps));
  app.get('/settings/users', (c) => usersPage(c, deps));
  app.post('/settings/users', (c) => addUser(c, deps));
  app.post('/settings/users/:id{[0-9]{1,15}}/:action{role|delete}', (c) => changeUserAction(c, deps));
  app.post('/settings/users/:id{[0-9]{1,15}}/password', (c) => resetUserPassword(c, deps));
  app.get('/settings/audit', (c) => auditPage(c, deps));
  app.get('/settings/policies', (c) => policiesPage(c, deps));
  app.post('/settings/policies', (c) => policyAction(c, deps));
  app.get('/settings/policies/:id{[0-9]{1,15}}', (c) => policyPage(c, deps));
  app.post('/settings/policies/:id{[0-9]{1,15}}/steps', (c) => addStepAction(c, deps));
  app.post('/settings/policies/:id{[0-9]{1,15}}/charges', async (c) => policyPage(c, deps, await savePolicyChargesAction(c, deps)));
  app.post('/settings/policies/:id{[0-9]{1,15}}/sending', async (c) => policyPage(c, deps, await savePolicySendingAction(c, deps)));
  app.post('/settings/reference-rates', async (c) => policiesPage(c, deps, await saveReferenceRateAction(c, deps)));
  app.post('/settings/policies/:id{[0-9]{1,15}}/:action{default|delete|rename}', (c) => policyAction(c, deps));
  app.post('/settings/steps/:id{[0-9]{1,15}}', (c) => stepAction(c, deps));
  app.post('/settings/steps/:id{[0-9]{1,15}}/:action{up|down|delete}', (c) => stepAction(c, deps));
  app.get(`/settings/templates/:target${TEMPLATE_TARGET}/:channel/:lang`, (c) => templatePage(c, editor, 'shared'));
  app.post(`/settings/templates/:target${TEMPLATE_TARGET}/:channel/:lang`, (c) => saveTemplateAction(c, editor, 'shared'));
  return app;
}

function loginPage(c: Context, state: { email?: string; error?: boolean; waitMinutes?: number } = {}) {
  const lang = langOf(c);
  const t = messages(lang);
  return layout({
    title: t.login, lang, t,
    body: html`<section class="card login">
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
    </section>`,
  });
}
