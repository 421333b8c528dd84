import { html } from 'hono/html';
import type { ReminderLogLine } from '../../../db/queries/reminder-log.js';
import { formatDate, formatInstant } from '../../../services/format.js';
import type { Lang, Messages } from '../../i18n.js';
import { sitePath } from '../paths.js';
import { queryOf, type Filter } from '../reminder-log-filter.js';

export type ReminderLogModel = { lines: ReminderLogLine[]; more: boolean; authors: string[]; filter: Filter; timezone: string; lang: Lang; t: Messages };

/** The overall reminder log: every reminder across invoices and customers, filtered, exportable. */
export function reminderLogView({ lines, more, authors, filter, timezone, lang, t }: ReminderLogModel) {
  const opt = (value: string, label: string, current: string | undefined) => html`<option value="${value}" ${value === (current ?? '') ? 'selected' : ''}>${label}</option>`;
  return html`<h1>${t.reminderLog}</h1>
      <form class="card filters" method="get" action="/reminders">
        <label>${t.periodFrom} <input type="date" name="from" value="${filter.from ?? ''}"></label>
        <label>${t.periodTo} <input type="date" name="to" value="${filter.to ?? ''}"></label>
        <label>${t.user} <select name="user">${opt('', t.anyUser, filter.user)}${authors.map((a) => opt(a, a, filter.user))}</select></label>
        <label>${t.level} <select name="level">${opt('', t.anyLevel, String(filter.level ?? ''))}${[1, 2, 3, 4, 5].map((l) => opt(String(l), String(l), String(filter.level ?? '')))}</select></label>
        <label>${t.channel} <select name="channel">${opt('', t.anyChannel, filter.channel)}${opt('email', 'e-mail', filter.channel)}${opt('letter', t.letter, filter.channel)}${opt('manual', t.byHand, filter.channel)}</select></label>
        <button type="submit">${t.filter}</button>
        ${t.exportCsv} ${(['fr', 'standard'] as const).map((style, i) => html`${i ? ' · ' : ''}<a href="/reminders.csv?${queryOf(filter, { page: undefined })}&amp;style=${style}" data-testid="log-csv-${style}">${style === 'fr' ? t.csvForSpreadsheet : t.csvStandard}</a>`)}
      </form>
      <section class="card">${lines.length === 0 ? html`<p class="muted">${t.none}</p>` : html`<table data-testid="reminder-log">
        <thead><tr><th>Id</th><th>${t.customer}</th><th>${t.invoice}</th><th>${t.note}</th><th>${t.level}</th><th>${t.channel}</th><th>${t.user}</th><th>${t.date}</th><th>${t.nextDate}</th><th>${t.status}</th><th>${t.file}</th></tr></thead>
        <tbody>${lines.map((r) => html`<tr><td>${r.id}</td><td><a href="${sitePath`/customers/${r.customerRef}`}">${r.customerName}</a></td>
          <td><a href="${sitePath`/invoices/${r.invoiceNumber}`}">${r.invoiceNumber}</a></td><td>${r.note ?? ''}</td><td>${r.level} · ${r.stepName}</td><td>${t.channels[r.channel]}</td>
          <td>${r.performedBy}</td><td class="nowrap">${formatInstant(r.at, lang, timezone)}</td><td>${r.nextPlannedOn ? formatDate(r.nextPlannedOn, lang) : ''}</td><td>${t.reminderStatuses[r.status]}</td>
          <td>${r.documentId ? html`<a href="${sitePath`/documents/${r.documentId}`}">PDF</a>` : ''}
            ${r.hasHtml ? html`<a href="${sitePath`/outbox/${r.id}/html`}" target="_blank" rel="noopener" data-testid="email-html">${t.emailAsSent}</a>` : ''}</td></tr>`)}</tbody></table>
        <div class="toolbar">${filter.page > 1 ? html`<a href="/reminders?${queryOf(filter, { page: filter.page - 1 })}">← ${t.previous}</a>` : ''}
          ${more ? html`<a class="right" href="/reminders?${queryOf(filter, { page: filter.page + 1 })}">${t.next} →</a>` : ''}</div>`}</section>`;
}
