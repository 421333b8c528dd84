import { html } from 'hono/html';
import type { sentMessages } from '../../../db/queries/reminders.js';
import type { DeliveryStatus } from '../../../db/queries/delivery.js';
import { formatInstant } from '../../../services/format.js';
import type { Lang, Messages } from '../../i18n.js';
import { reasonText } from '../../reason-texts.js';
import { sitePath } from '../paths.js';

export type OutboxModel = {
  rows: Awaited<ReturnType<typeof sentMessages>>;
  status?: 'sent' | 'failed';
  before?: number;
  shown?: number;
  /** A full page: there may be older ones. */
  more: boolean;
  timezone: string;
  lang: Lang;
  t: Messages;
};

/** Every e-mail sent or refused: recipient, subject, provider id, status, and what the customer saw. */
export function outboxView({ rows, status, before, shown, more, timezone, lang, t }: OutboxModel) {
  const link = (p: Record<string, string | number | undefined>) =>
    `/outbox?${new URLSearchParams(Object.entries({ status, before, ...p }).filter(([, v]) => v !== undefined).map(([k, v]) => [k, String(v)]))}`;
  return html`<h1>${t.outbox}</h1>
      <nav class="tabs">${([undefined, 'sent', 'failed'] as const).map(
        (s) => html`<a href="${link({ status: s, before: undefined })}" class="${s === status ? 'active' : ''}">${s === undefined ? t.statusAll : s === 'sent' ? t.sent : t.failedSends}</a>`,
      )}</nav>
      <section class="card">${rows.length === 0 ? html`<p class="muted">${t.none}</p>` : html`<table class="outbox">
        <thead><tr><th>${t.date}</th><th>${t.invoice}</th><th>${t.customer}</th><th>${t.level}</th><th>${t.recipient}</th><th>${t.subject}</th><th>${t.status}</th><th>${t.providerId}</th></tr></thead>
        <tbody>${rows.map(
          (r) => html`<tr class="${r.status === 'failed' ? 'row-red' : ''}"><td class="nowrap">${formatInstant(r.at, lang, timezone)}</td>
            <td>${r.invoiceNumbers.map((n, i) => html`${i ? ', ' : ''}<a href="${sitePath`/invoices/${n}`}">${n}</a>`)}</td><td>${r.customerName}</td>
            <td>${r.invoiceNumbers.length > 1 ? t.specialTemplates.statement : html`${r.level} · ${r.stepName}`}</td><td>${r.recipients.join(', ')}</td>
            <td>${r.status === 'sent' ? html`<a href="${link({ show: r.id })}">${r.subject}</a>` : r.subject ?? ''}${r.withPdf ? html` <span class="badge" data-testid="with-pdf">📎 ${t.invoicePdfAttached}</span>` : ''}</td>
            <td>${r.status === 'sent' ? t.statusSent : html`<span class="failed">${reasonText(r.failureReason ?? '', lang)}</span>`}
              ${r.deliveryStatus ? html`<div class="${r.deliveryStatus === 'delivered' ? 'muted' : 'failed'}" data-testid="delivery">${t.deliveryStatuses[r.deliveryStatus as DeliveryStatus]}${r.deliveryDetail ? ` · ${r.deliveryDetail}` : ''}</div>` : ''}</td><td><code>${r.providerMessageId ?? ''}</code></td></tr>
            ${shown === r.id ? html`<tr><td colspan="8"><iframe src="${sitePath`/outbox/${r.id}/html`}" sandbox title="${r.subject}" class="preview-frame"></iframe></td></tr>` : ''}`,
        )}</tbody></table>
        ${more ? html`<p><a href="${link({ before: rows.at(-1)!.id, show: undefined })}">${t.older} →</a></p>` : ''}`}
      </section>`;
}
