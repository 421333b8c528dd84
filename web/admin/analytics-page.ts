import type { Context } from 'hono';
import { customerBehaviours, mainSnapshotCurrency, reminderEffects, snapshotsSince } from '../../db/queries/analytics.js';
import { AGING_BUCKETS, dsoOf, monthEnds } from '../../workflows/schedule/collection-figures.js';
import { getSettings } from '../../db/queries/settings.js';
import { addDays } from '../../workflows/schedule/calendar-date.js';
import { localDate } from '../../workflows/schedule/zoned-time.js';
import type { WebDeps } from '../deps.js';
import { langOf, messages } from '../i18n.js';
import type { AdminEnv } from './env.js';
import { csvStyleOf, csvWriter, spreadsheetSafe } from './spreadsheet-csv.js';
import { analyticsView } from './views/analytics.js';

/** The last twelve months' snapshots, in the currency most was owed in on the last one (the charts draw one currency). */
async function yearOfSnapshots(deps: WebDeps) {
  const settings = await getSettings(deps.sql);
  const currency = await mainSnapshotCurrency(deps.sql);
  return { currency, snapshots: await snapshotsSince(deps.sql, addDays(localDate(Date.now(), settings.timezone), -365), currency) };
}

export async function analyticsPage(c: Context<AdminEnv>, deps: WebDeps) {
  const lang = langOf(c);
  const t = messages(lang);
  const [year, effects, customers] = await Promise.all([yearOfSnapshots(deps), reminderEffects(deps.sql), customerBehaviours(deps.sql)]);
  return c.render(t.analytics, analyticsView({ ...year, effects, customers, lang, t }));
}

/** Each table of the page as CSV, in the style the reader asks for (a French spreadsheet's by default in French). */
export async function analyticsCsv(c: Context<AdminEnv>, deps: WebDeps) {
  const table = c.req.param('file')?.replace(/\.csv$/, '');
  const style = csvStyleOf(c);
  const w = csvWriter(style);
  const decimal = (n: number | null) => (n === null ? '' : style === 'fr' ? String(n).replace('.', ',') : String(n));
  let body: string;
  if (table === 'months') {
    body = w.header([['month_end', 'Fin de mois'], ['dso_days', 'DSO (jours)'], ['receivable', 'Encours'], ['overdue', 'Échu'], ...AGING_BUCKETS.map((b) => [`aging_${b}`, b === 'not_due' ? 'Non échu' : `${b} jours`] as const)])
      + w.rows(monthEnds((await yearOfSnapshots(deps)).snapshots).map((m) => [w.date(m.day), decimal(dsoOf(m)), w.amount(m.receivableCents), w.amount(m.overdueCents), ...AGING_BUCKETS.map((b) => w.amount(m.aging[b]))]));
  } else if (table === 'reminders') {
    body = w.header([['level', 'Niveau'], ['step', 'Étape'], ['channel', 'Canal'], ['currency', 'Devise'], ['sent', 'Envoyées'], ['paid_7', 'Réglées sous 7 j'], ['paid_15', 'Réglées sous 15 j'], ['paid_30', 'Réglées sous 30 j'], ['collected_30', 'Encaissé sous 30 j']])
      + w.rows((await reminderEffects(deps.sql)).map((e) => [e.level, spreadsheetSafe(e.stepName), w.word(e.channel, { email: 'E-mail', letter: 'Courrier' }), e.currency, e.sent, e.paidWithin7, e.paidWithin15, e.paidWithin30, w.amount(e.collected30Cents)]));
  } else if (table === 'customers') {
    body = w.header([['customer_ref', 'Référence client'], ['customer', 'Client'], ['overdue', 'Échu'], ['average_days_late', 'Retard moyen (jours)'], ['paid_invoices', 'Factures réglées'], ['promises_kept', 'Promesses tenues'], ['promises_broken', 'Promesses non tenues'], ['disputes', 'Litiges']])
      + w.rows((await customerBehaviours(deps.sql)).map((x) => [spreadsheetSafe(x.ref), spreadsheetSafe(x.name), w.amount(x.overdueCents), decimal(x.averageDaysLate), x.paidInvoices, x.promisesKept, x.promisesBroken, x.disputes]));
  } else {
    return c.notFound();
  }
  c.header('Content-Type', 'text/csv; charset=utf-8');
  c.header('Content-Disposition', `attachment; filename="relance-${table}.csv"`);
  return c.body(`\uFEFF${body}`);
}
