import type { Context } from 'hono';
import { html } from 'hono/html';
import { sentMessageHtml, sentMessages } from '../../db/queries/reminders.js';
import { getSettings } from '../../db/queries/settings.js';
import type { WebDeps } from '../deps.js';
import { langOf, messages } from '../i18n.js';
import type { AdminEnv } from './env.js';
import { sandboxedHtml } from './preview-store.js';
import { recordIdOf, sitePath } from './paths.js';

const PAGE = 50;

/** Every e-mail sent or refused: recipient, subject, provider id, status, and what the customer saw. */
export async function outboxPage(c: Context<AdminEnv>, deps: WebDeps) {
  const lang = langOf(c);
  const t = messages(lang);
  const status = c.req.query('status') === 'sent' || c.req.query('status') === 'failed' ? (c.req.query('status') as 'sent' | 'failed') : undefined;
  const [before, shown] = [recordIdOf(c.req.query('before')), recordIdOf(c.req.query('show'))];
  if (before === null || shown === null) return c.text(`${t.refused}: before, show: ${t.recordIdExpected}`, 400);
  const [rows, settings] = await Promise.all([sentMessages(deps.sql, { status, before, limit: PAGE }), getSettings(deps.sql)]);
  const when = new Intl.DateTimeFormat(lang === 'en' ? 'en-GB' : 'fr-FR', { dateStyle: 'short', timeStyle: 'short', timeZone: settings.timezone });
  const link = (p: Record<string, string | number | undefined>) =>
    `/outbox?${new URLSearchParams(Object.entries({ status, before, ...p }).filter(([, v]) => v !== undefined).map(([k, v]) => [k, String(v)]))}`;
  return c.render(t.outbox, html`<h1>${t.outbox}</h1>
      <nav class="tabs">${([undefined, 'sent', 'failed'] as const).map(
        (s) => html`<a href="${link({ status: s, before: undefined })}" class="${s === status ? 'active' : ''}">${s === undefined ? t.statusAll : s === 'sent' ? t.sent : t.failedSends}</a>`,
      )}</nav>
      <section class="card">${rows.length === 0 ? html`<p class="muted">${t.none}</p>` : html`<table class="outbox">
        <thead><tr><th>${t.date}</th><th>${t.invoice}</th><th>${t.customer}</th><th>${t.level}</th><th>${t.recipient}</th><th>${t.subject}</th><th>${t.status}</th><th>${t.providerId}</th></tr></thead>
        <tbody>${rows.map(
          (r) => html`<tr class="${r.status === 'failed' ? 'row-red' : ''}"><td class="nowrap">${when.format(r.at)}</td>
            <td>${r.invoiceNumbers.map((n, i) => html`${i ? ', ' : ''}<a href="${sitePath`/invoices/${n}`}">${n}</a>`)}</td><td>${r.customerName}</td>
            <td>${r.invoiceNumbers.length > 1 ? t.specialTemplates.statement : html`${r.level} · ${r.stepName}`}</td><td>${r.recipients.join(', ')}</td>
            <td>${r.status === 'sent' ? html`<a href="${link({ show: r.id })}">${r.subject}</a>` : r.subject ?? ''}${r.withPdf ? html` <span class="badge" data-testid="with-pdf">📎 ${t.invoicePdfAttached}</span>` : ''}</td>
            <td>${r.status === 'sent' ? t.statusSent : html`<span class="failed">${r.failureReason}</span>`}
              ${r.deliveryStatus ? html`<div class="${r.deliveryStatus === 'delivered' ? 'muted' : 'failed'}" data-testid="delivery">${r.deliveryStatus}${r.deliveryDetail ? ` · ${r.deliveryDetail}` : ''}</div>` : ''}</td><td><code>${r.providerMessageId ?? ''}</code></td></tr>
            ${shown === r.id ? html`<tr><td colspan="8"><iframe src="${sitePath`/outbox/${r.id}/html`}" sandbox title="${r.subject}" class="preview-frame"></iframe></td></tr>` : ''}`,
        )}</tbody></table>
        ${rows.length === PAGE ? html`<p><a href="${link({ before: rows.at(-1)!.id, show: undefined })}">${t.older} →</a></p>` : ''}`}
      </section>`);
}

export async function outboxMessageHtml(c: Context<AdminEnv>, deps: WebDeps) {
  const page = await sentMessageHtml(deps.sql, Number(c.req.param('id')));
  if (!page) return c.text('No rendering is stored for this message.', 404);
  return sandboxedHtml(c, page);
}
