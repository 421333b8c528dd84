import type { Context } from 'hono';
import { stream } from 'hono/streaming';
import { followUpRows, type FollowUpFilter, type FollowUpRow } from '../../db/queries/follow-up-list.js';
import { getSettings } from '../../db/queries/settings.js';
import { localDate } from '../../workflows/schedule/zoned-time.js';
import type { WebDeps } from '../deps.js';
import { messages } from '../i18n.js';
import type { AdminEnv } from './env.js';
import { csvStyleOf, csvWriter, spreadsheetSafe, type CsvColumn } from './spreadsheet-csv.js';

const PAGE = 1_000;

const COLUMNS: CsvColumn[] = [
  ['invoice', 'Facture'], ['customer_ref', 'Réf. client'], ['customer', 'Client'], ['due_date', 'Échéance'], ['currency', 'Devise'],
  ['total', 'Montant'], ['paid', 'Réglé'], ['balance', 'Reste dû'], ['status', 'Statut'], ['last_level', 'Dernier niveau'],
  ['last_reminder', 'Dernière relance'], ['disputed', 'En litige'], ['promised_on', 'Paiement promis le'],
];

const french = messages('fr');

function line(r: FollowUpRow, timezone: string, csv: ReturnType<typeof csvWriter>): (string | number)[] {
  return [
    spreadsheetSafe(r.number), spreadsheetSafe(r.customerRef), spreadsheetSafe(r.customerName), csv.date(r.dueDate), r.currency,
    csv.amount(r.totalCents), csv.amount(r.paidCents), csv.amount(r.totalCents - r.paidCents), csv.word(r.status, french.invoiceStatuses), r.lastLevel,
    csv.date(r.lastRemindedAt ? localDate(r.lastRemindedAt.getTime(), timezone) : null), r.disputed ? csv.word('yes', { yes: 'Oui' }) : '', csv.date(r.promisedOn),
  ];
}

/** The mass follow-up's selection as CSV (UTF-8 with a BOM for spreadsheets), streamed page by page. */
export async function followUpCsv(c: Context<AdminEnv>, deps: WebDeps, filter: Omit<FollowUpFilter, 'page' | 'pageSize'>) {
  const { timezone } = await getSettings(deps.sql);
  const csv = csvWriter(csvStyleOf(c));
  c.header('Content-Type', 'text/csv; charset=utf-8');
  c.header('Content-Disposition', `attachment; filename="relance-follow-up-${localDate(Date.now(), timezone)}.csv"`);
  return stream(c, async (out) => {
    await out.write(`\ufeff${csv.header(COLUMNS)}`);
    for (let page = 1; ; page++) {
      const rows = await followUpRows(deps.sql, { ...filter, page, pageSize: PAGE });
      if (rows.length) await out.write(csv.rows(rows.map((r) => line(r, timezone, csv))));
      if (rows.length < PAGE) break;
    }
  });
}
