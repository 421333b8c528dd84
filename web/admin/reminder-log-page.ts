import type { Context } from 'hono';
import { stream } from 'hono/streaming';
import { reminderAuthors, reminderLog, type ReminderLogFilter, type ReminderLogLine } from '../../db/queries/reminder-log.js';
import { getSettings } from '../../db/queries/settings.js';
import { localDate } from '../../workflows/schedule/zoned-time.js';
import type { WebDeps } from '../deps.js';
import { langOf, messages } from '../i18n.js';
import { csvStyleOf, csvWriter, spreadsheetSafe, type CsvColumn } from './spreadsheet-csv.js';
import type { AdminEnv } from './env.js';
import { sitePath } from './paths.js';
import { filterSchema, type Filter } from './reminder-log-filter.js';
import { reminderLogView } from './views/reminder-log.js';

const PAGE = 100;

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
  return c.render(t.reminderLog, reminderLogView({ lines: lines.slice(0, PAGE), more: lines.length > PAGE, authors, filter, timezone: log.timezone, lang, t }));
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
