import type { Context } from 'hono';
import { html } from 'hono/html';
import { layout } from './admin/views/layout.js';
import { langOf, messages } from './i18n.js';

/** The API and the webhooks answer errors in the JSON problem format; everything else is a page people read. */
export function answersJson(c: Context): boolean {
  return /^\/(api|webhooks)\//.test(c.req.path);
}

/** An error as a page of the admin, in the reader's language, with the way back. */
export function errorPage(c: Context, status: 400 | 404 | 500, text?: string) {
  const lang = langOf(c);
  const t = messages(lang);
  const said = text ?? (status === 404 ? t.errorPageNotFound : status === 400 ? t.errorBadRequest : t.errorInternal);
  return c.html(
    layout({
      title: t.errorTitle(status), lang, t,
      body: html`<section class="card" role="alert" data-testid="error-page"><h1>${t.errorTitle(status)}</h1><p class="error">${said}</p>
        <p><a href="/">← ${t.backToDashboard}</a></p></section>`,
    }),
    status,
  );
}
