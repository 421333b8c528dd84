import { html } from 'hono/html';
import type { SessionUser } from '../../auth/sessions.js';
import type { Lang, Messages } from '../../i18n.js';
import { sitePath } from '../paths.js';
import type { PageBody } from '../env.js';

/** The page frame; htmx requests carry the CSRF token in a header set once on <body>. */
export function layout(p: { title: string; lang: Lang; t: Messages; user?: SessionUser; body: PageBody }) {
  const csrf = p.user ? JSON.stringify({ 'X-CSRF-Token': p.user.csrfToken }) : '{}';
  return html`<!doctype html>
<html lang="${p.lang}">
<head>
  <meta charset="utf-8">
  <meta name="viewport" content="width=device-width, initial-scale=1">
  <title>${p.title} · Relance</title>
  <link rel="stylesheet" href="/static/app.css">
  <meta name="htmx-config" content='{"includeIndicatorStyles": false}'>
  <script src="/static/htmx.min.js" defer></script>
</head>
<body hx-headers="${csrf}">
  <header class="top">
    <a class="brand" href="/">Relance</a>
    ${p.user
      ? html`<nav><a href="/">${p.t.dashboard}</a><a href="/invoices">${p.t.followUp}</a><a href="/review">${p.t.review}</a><a href="/runs">${p.t.bulkRuns}</a><a href="/reminders">${p.t.reminderLog}</a><a href="/analytics">${p.t.analytics}</a><a href="/sepa">SEPA</a><a href="/outbox">${p.t.outbox}</a><a href="/import">${p.t.import}</a>
          ${p.user.role === 'admin'
            ? html`<a href="/settings/policies">${p.t.steps}</a><a href="/settings/payment-terms">${p.t.paymentTerms}</a><a href="/settings">${p.t.settings}</a><a href="/settings/users">${p.t.users}</a><a href="/settings/audit">${p.t.audit}</a>`
            : ''}</nav>
        <div class="who">
          <a href="${sitePath`/lang/${p.lang === 'fr' ? 'en' : 'fr'}`}" class="lang">${p.lang === 'fr' ? 'EN' : 'FR'}</a>
          <a href="/account" data-testid="account">${p.user.name} · ${p.user.role}</a>
          <form method="post" action="/logout"><input type="hidden" name="_csrf" value="${p.user.csrfToken}"><button class="link">${p.t.signOut}</button></form>
        </div>`
      : html`<div class="who"><a href="${sitePath`/lang/${p.lang === 'fr' ? 'en' : 'fr'}`}" class="lang">${p.lang === 'fr' ? 'EN' : 'FR'}</a></div>`}
  </header>
  <main>${p.body}</main>
</body>
</html>`;
}
