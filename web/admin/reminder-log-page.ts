import type { Context } from 'hono';
import { html } from 'hono/html';
import { stream } from 'hono/streaming';
import { z } from 'zod';
import { formatDate } from '../../services/format.js';
import { reminderAuthors, reminderLog, type ReminderLogFilter, type ReminderLogLine } from '../../db/queries/reminder-log.js';
import { getSettings } from '../../db/queries/settings.js';
import { isIsoDate } from '../../workflows/schedule/calendar-date.js';
import { localDate } from '../../workflows/schedule/zoned-time.js';
import type { WebDeps } from '../deps.js';
import { langOf, messages } from '../i18n.js';
import { csvStyleOf, csvWriter, spreadsheetSafe, type CsvColumn } from './spreadsheet-csv.js';
import type { AdminEnv } from './env.js';
import { sitePath } from './paths.js';

const PAGE = 100;
const blankIsNone = (v: unknown) => (v === '' ? undefined : v);
const filterSchema = z.object({
  from: z.preprocess(blankIsNone, z.string().refine(isIsoDate, 'a date YYYY-MM-DD').optional()),
  to: z.preprocess(blankIsNone, z.string().refine(isIsoDate, 'a date YYYY-MM-DD').optional()),
  user: z.preprocess(blankIsNone, z.string().max(320).optional()),
  level: z.preprocess(blankIsNone, z.coerce.number().int().min(1).max(50).optional()),
  channel: z.preprocess(blankIsNone, z.enum(['email', 'letter', 'manual']).optional()),
  page: z.preprocess(blankIsNone, z.coerce.number().int().min(1).max(10_000).default(1)),
});
type Filter = z.infer<typeof filterSchema>;

const queryOf = (f: Filter, changes: Partial<Filter> = {}) =>
  new URLSearchParams(Object.entries({ ...f, ...changes }).filter(([, v]) => v !== undefined && v !== '').map(([k, v]) => [k, String(v)])).toString();

/** The filter of the page, or a 400 naming each bad field. */
async function filtered(c: Context<AdminEnv>, deps: WebDeps): Promise<{ filter: Filter; log: ReminderLogFilter } | Response> {
  const parsed = filterSchema.safeParse(c.req.query());
  if (!parsed.success) return c.text(`${messages(langOf(c)).invalidFilter}: ${parsed.error.issues.map((i) => `${String(i.path[0])}: ${i.message}`).join(', ')}`, 400);
  const { timezone } = await getSettings(deps.sql);
  const { page: _page, ...rest } = parsed.data;
  return { filter: parsed.data, log: { ...rest, timezone } };
}

/** The overall reminder log (source 003): every reminder across invoices and customers, filtered, exportable. */
export async function reminderLogPage(c: Context<AdminEnv>, deps: WebDeps) {
  const lang = langOf(c);
  const t = messages(lang);
  const f = await filtered(c, deps);
  if (f instanceof Response) return f;
  const { filter, log } = f;
  const [lines, authors] = await Promise.all([reminderLog(deps.sql, log, { limit: PAGE + 1, offset: (filter.page - 1) * PAGE }), reminderAuthors(deps.sql)]);
  const when = new Intl.DateTimeFormat(lang === 'en' ? 'en-GB' : 'fr-FR', { dateStyle: 'short', timeStyle: 'short', timeZone: log.timezone });
  const opt = (value: string, label: string, current: string | undefined) => html`<option value="${value}" ${value === (current ?? '') ? 'selected' : ''}>${label}</option>`;
  return c.render(t.reminderLog, html`<h1>${t.reminderLog}</h1>
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
        <tbody>${lines.slice(0, PAGE).map((r) => html`<tr><td>${r.id}</td><td><a href="${sitePath`/customers/${r.customerRef}`}">${r.customerName}</a></td>
          <td><a href="${sitePath`/invoices/${r.invoiceNumber}`}">${r.invoiceNumber}</a></td><td>${r.note ?? ''}</td><td>${r.level} · ${r.stepName}</td><td>${t.channels[r.channel]}</td>
          <td>${r.performedBy}</td><td class="nowrap">${when.format(r.at)}</td><td>${r.nextPlannedOn ? formatDate(r.nextPlannedOn, lang) : ''}</td><td>${t.reminderStatuses[r.status]}</td>
          <td>${r.documentId ? html`<a href="${sitePath`/documents/${r.documentId}`}">PDF</a>` : ''}</td></tr>`)}</tbody></table>
        <div class="toolbar">${filter.page > 1 ? html`<a href="/reminders?${queryOf(filter, { page: filter.page - 1 })}">← ${t.previous}</a>` : ''}
          ${lines.length > PAGE ? html`<a class="right" href="/reminders?${queryOf(filter, { page: filter.page + 1 })}">${t.next} →</a>` : ''}</div>`}</section>`);
}

const COLUMNS: CsvColumn[] = [
  ['id', 'N°'], ['customer_ref', 'Réf. client'], ['customer', 'Client'], ['invoice', 'Facture'], ['note', 'Note'], ['level', 'Niveau'],
  ['step', 'Étape'], ['channel', 'Canal'], ['user', 'Par'], ['date', 'Date'], ['next_date', 'Prochaine relance'], ['status', 'Statut'], ['file', 'Fichier'],
];

const french = messages('fr');

function line(r: ReminderLogLine, timezone: string, publicUrl: string, csv: ReturnType<typeof csvWriter>): (string | number)[] {
  return [
    r.id, spreadsheetSafe(r.customerRef), spreadsheetSafe(r.customerName), spreadsheetSafe(r.invoiceNumber), spreadsheetSafe(r.note ?? ''), r.level,
    spreadsheetSafe(r.stepName), csv.word(r.channel, french.channels), spreadsheetSafe(r.performedBy), csv.date(localDate(r.at.getTime(), timezone)), csv.date(r.nextPlannedOn),
    csv.word(r.status, french.reminderStatuses), r.documentId ? `${publicUrl}${sitePath`/documents/${r.documentId}`}` : '',
  ];
}

/** The log's selection as CSV (UTF-8 with a BOM), streamed a thousand lines at a time. */
export async function reminderLogCsv(c: Context<AdminEnv>, deps: WebDeps) {
  const f = await filtered(c, deps);
  if (f instanceof Response) return f;
  c.header('Content-Type', 'text/csv; charset=utf-8');
  c.header('Content-Disposition', `attachment; filename="relance-reminders-${localDate(Date.now(), f.log.timezone)}.csv"`);
  const csv = csvWriter(csvStyleOf(c));
  return stream(c, async (out) => {
    await out.write(`\ufeff${csv.header(COLUMNS)}`);
    for (let offset = 0; ; offset += 1_000) {
      const lines = await reminderLog(deps.sql, f.log, { limit: 1_000, offset });
      if (lines.length) await out.write(csv.rows(lines.map((r) => line(r, f.log.timezone, deps.publicUrl, csv))));
      if (lines.length < 1_000) break;
    }
  });
}
