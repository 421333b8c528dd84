import { stringify } from 'csv-stringify/sync';
import type { Context } from 'hono';
import { langOf } from '../i18n.js';
import type { AdminEnv } from './env.js';

/**
 * How an export is written. 'fr' is what a French spreadsheet opens as columns and numbers:
 * semicolons, decimal commas, dates as 31/12/2026, French headers and words. 'standard' is for
 * another program: commas, decimal points, ISO dates, stable English column names and codes.
 */
export type CsvStyle = 'fr' | 'standard';

export const CSV_STYLES: readonly CsvStyle[] = ['fr', 'standard'];

/** The style asked for (`?style=`), else the one of the reader's language. */
export function csvStyleOf(c: Context<AdminEnv>): CsvStyle {
  const asked = c.req.query('style');
  return asked === 'fr' || asked === 'standard' ? asked : langOf(c) === 'fr' ? 'fr' : 'standard';
}

/** A column: its name for a program, its header for a French reader. */
export type CsvColumn = readonly [code: string, french: string];

export function csvWriter(style: CsvStyle) {
  const fr = style === 'fr';
  return {
    header: (columns: readonly CsvColumn[]) => stringify([columns.map(([code, french]) => (fr ? french : code))], { delimiter: fr ? ';' : ',' }),
    rows: (rows: (string | number)[][]) => stringify(rows, { delimiter: fr ? ';' : ',' }),
    amount: (cents: number) => (fr ? (cents / 100).toFixed(2).replace('.', ',') : (cents / 100).toFixed(2)),
    date: (isoDate: string | null) => (!isoDate ? '' : fr ? isoDate.split('-').reverse().join('/') : isoDate),
    /** A code (a status, yes/no) in the reader's words, or as it is for a program. */
    word: <K extends string>(code: K, french: Record<K, string>) => (fr ? french[code] : code),
  };
}

/**
 * A text that a spreadsheet would run as a formula (=, +, -, @, tab, carriage return first) is
 * written with a leading apostrophe: an invoice or customer named "=cmd|…" stays text (OWASP).
 */
export function spreadsheetSafe(text: string): string {
  return /^[=+\-@\t\r]/.test(text) ? `'${text}` : text;
}
