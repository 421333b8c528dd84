import { stringify } from 'csv-stringify/sync';
import type { Context } from 'hono';
import { stream } from 'hono/streaming';
import { followUpRows, type FollowUpFilter, type FollowUpRow } from '../../db/queries/follow-up-list.js';
import { getSettings } from '../../db/queries/settings.js';
import { localDate } from '../../workflows/schedule/zoned-time.js';
import type { WebDeps } from '../deps.js';
import type { AdminEnv } from './env.js';

const PAGE = 1_000;

/**
 * A text that a spreadsheet would run as a formula (=, +, -, @, tab, carriage return first) is
 * written with a leading apostrophe: an invoice or customer named "=cmd|…" stays text (OWASP).
 */
export function spreadsheetSafe(text: string): string {
  return /^[=+\-@\t\r]/.test(text) ? `'${text}` : text;
}

const COLUMNS = ['invoice', 'customer_ref', 'customer', 'due_date', 'currency', 'total', 'paid', 'balance', 'status', 'last_level', 'last_reminder', 'disputed', 'promised_on'];

function line(r: FollowUpRow, timezone: string): (string | number)[] {
  const amount = (cents: number) => (cents / 100).toFixed(2);
  return [
    spreadsheetSafe(r.number), spreadsheetSafe(r.customerRef), spreadsheetSafe(r.customerName), r.dueDate, r.currency,
    amount(r.totalCents), amount(r.paidCents), amount(r.totalCents - r.paidCents), r.status, r.lastLevel,
    r.lastRemindedAt ? localDate(r.lastRemindedAt.getTime(), timezone) : '', r.disputed ? 'yes' : '', r.promisedOn ?? '',
  ];
}

/** The mass follow-up's selection as CSV (UTF-8 with a BOM for spreadsheets), streamed page by page. */
export async function followUpCsv(c: Context<AdminEnv>, deps: WebDeps, filter: Omit<FollowUpFilter, 'page' | 'pageSize'>) {
  const { timezone } = await getSettings(deps.sql);
  c.header('Content-Type', 'text/csv; charset=utf-8');
  c.header('Content-Disposition', `attachment; filename="relance-follow-up-${localDate(Date.now(), timezone)}.csv"`);
  return stream(c, async (out) => {
    await out.write(`\ufeff${stringify([COLUMNS])}`);
    for (let page = 1; ; page++) {
      const rows = await followUpRows(deps.sql, { ...filter, page, pageSize: PAGE });
      if (rows.length) await out.write(stringify(rows.map((r) => line(r, timezone))));
      if (rows.length < PAGE) break;
    }
  });
}
