import { parse } from 'csv-parse/sync';
import { z } from 'zod';
import type { CsvImportKind } from '../../db/queries/imports.js';
import { centsOf } from '../admin/form.js';
import { customerBody, invoiceBody, numberParam, paymentBody, refParam } from '../api/schemas.js';
import { mandateForm } from '../sepa/bank-fields.js';

export interface RowError {
  line: number;
  field: string;
  message: string;
}

export const COLUMNS: Record<CsvImportKind, { required: string[]; optional: string[] }> = {
  customers: {
    required: ['ref', 'name'],
    optional: ['emails', 'address_line1', 'address_line2', 'postal_code', 'city', 'country', 'language',
      'iban', 'bic', 'account_holder', 'bank_name', 'mandate_reference', 'mandate_signed_on', 'mandate_signed_place', 'sequence'],
  },
  // An invoice with lines takes one row per line, its own columns repeated on each.
  invoices: {
    // Without a due date, the named payment terms compute it, or else the customer's default terms.
    required: ['number', 'customer_ref', 'issue_date', 'total'],
    optional: ['due_date', 'payment_terms', 'currency', 'status', 'sent_at', 'line_label', 'line_quantity', 'line_unit_price', 'line_vat_rate'],
  },
  payments: { required: ['invoice_number', 'amount', 'paid_on'], optional: ['currency', 'method', 'external_id'] },
};

export type CustomerRow = { ref: string } & z.infer<typeof customerBody> & { mandate?: z.infer<typeof mandateForm> };
export type InvoiceRow = { number: string } & z.infer<typeof invoiceBody>;
export type PaymentRow = Omit<z.infer<typeof paymentBody>, 'externalId'> & { externalId: string | null };
export type ParsedRows =
  | { kind: 'customers'; rows: { line: number; value: CustomerRow }[] }
  | { kind: 'invoices'; rows: { line: number; value: InvoiceRow }[] }
  | { kind: 'payments'; rows: { line: number; value: PaymentRow }[] };

// Errors name the file's columns, not the API's fields.
const COLUMN_OF: Record<string, string> = {
  customerRef: 'customer_ref', issueDate: 'issue_date', dueDate: 'due_date', paymentTerms: 'payment_terms', sentAt: 'sent_at', totalCents: 'total', invoiceNumber: 'invoice_number',
  amountCents: 'amount', paidOn: 'paid_on', externalId: 'external_id', 'address.line1': 'address_line1', 'address.line2': 'address_line2',
  'address.postalCode': 'postal_code', 'address.city': 'city', 'address.country': 'country',
  holder: 'account_holder', bankName: 'bank_name', reference: 'mandate_reference', signedOn: 'mandate_signed_on', signedPlace: 'mandate_signed_place',
};
const LINE_COLUMNS = ['line_label', 'line_quantity', 'line_unit_price', 'line_vat_rate'];
const LINE_COLUMN_OF: Record<string, string> = { label: 'line_label', quantity: 'line_quantity', unitPriceCents: 'line_unit_price', vatRate: 'line_vat_rate' };
const MANDATE_COLUMNS = ['iban', 'bic', 'account_holder', 'bank_name', 'mandate_reference', 'mandate_signed_on', 'mandate_signed_place', 'sequence'];

const customerRow = z.object({ ref: refParam.shape.ref }).and(customerBody);
const invoiceRow = z.object({ number: numberParam.shape.number }).and(invoiceBody);
const paymentRow = paymentBody.omit({ externalId: true }).extend({ externalId: z.string().max(200).nullable() });

/** Accepts what spreadsheets write: a BOM, `;` or `,` between fields, decimal commas. */
function records(content: string): { header: string[]; rows: Record<string, string>[] } {
  const text = content.replace(/^\uFEFF/, '');
  const firstLine = text.split(/\r?\n/, 1)[0] ?? '';
  const delimiter = (firstLine.match(/;/g)?.length ?? 0) > (firstLine.match(/,/g)?.length ?? 0) ? ';' : ',';
  let header: string[] = [];
  const rows = parse(text, {
    delimiter, skip_empty_lines: true, trim: true,
    columns: (h: string[]) => (header = h.map((c) => c.trim().toLowerCase())),
  }) as Record<string, string>[];
  return { header, rows };
}

/**
 * Every row of the file checked against the same rules as the API. Lines count as a spreadsheet
 * shows them (the header is line 1), so a finance user finds the row at once.
 */
export function checkCsv(kind: CsvImportKind, content: string): { ok: true; parsed: ParsedRows } | { ok: false; errors: RowError[] } {
  let table: ReturnType<typeof records>;
  try {
    table = records(content);
  } catch (err) {
    const e = err as Error & { lines?: number };
    return { ok: false, errors: [{ line: e.lines ?? 1, field: 'file', message: e.message }] };
  }
  const known = [...COLUMNS[kind].required, ...COLUMNS[kind].optional];
  const headerErrors = [
    ...COLUMNS[kind].required.filter((c) => !table.header.includes(c)).map((c) => ({ line: 1, field: c, message: 'missing column' })),
    ...table.header.filter((c) => !known.includes(c)).map((c) => ({ line: 1, field: c, message: `unknown column; expected ${known.join(', ')}` })),
  ];
  if (headerErrors.length) return { ok: false, errors: headerErrors };
  if (table.rows.length === 0) return { ok: false, errors: [{ line: 2, field: 'file', message: 'no rows under the header' }] };

  const errors: RowError[] = [];
  const rows: { line: number; value: unknown }[] = [];
  const firstLineOf = new Map<string, number>();
  const grouped: (LineRow & { lines?: LineRow[] })[] = kind === 'invoices' && LINE_COLUMNS.some((c) => table.header.includes(c))
    ? invoiceGroups(table.rows, errors)
    : table.rows.map((record, i) => ({ line: i + 2, record }));
  for (const { line, record, lines } of grouped) {
    const result = toRow(kind, record, lines);
    if ('errors' in result) {
      errors.push(...result.errors.map((e) => ({ ...e, line: e.line ?? line })));
      continue;
    }
    rows.push({ line, value: result.value });
    const [keyColumn, key] = keyOf(kind, result.value);
    if (key === null) continue;
    const first = firstLineOf.get(key);
    if (first) errors.push({ line, field: keyColumn, message: `repeats line ${first}` });
    else firstLineOf.set(key, line);
  }
  if (errors.length) return { ok: false, errors };
  return { ok: true, parsed: { kind, rows } as ParsedRows };
}

type LineRow = { line: number; record: Record<string, string> };

/** The rows of one invoice with lines: its first row's columns, which each further row must repeat as they are. */
function invoiceGroups(records: Record<string, string>[], errors: RowError[]): (LineRow & { lines: LineRow[] })[] {
  const groups = new Map<string, LineRow & { lines: LineRow[] }>();
  records.forEach((record, i) => {
    const line = i + 2;
    const group = groups.get(record.number ?? '');
    if (!group) {
      groups.set(record.number ?? '', { line, record, lines: [{ line, record }] });
      return;
    }
    const differing = Object.keys(record).filter((c) => !LINE_COLUMNS.includes(c) && (record[c] ?? '') !== (group.record[c] ?? ''));
    errors.push(...differing.map((field) => ({ line, field, message: `differs from line ${group.line}, the invoice's first line` })));
    group.lines.push({ line, record });
  });
  return [...groups.values()];
}

/** "1,5", "-10.00", "20": a decimal as a spreadsheet writes it; NaN when it is not one. */
function decimalOf(text: string): number {
  const clean = text.replace(/[\s\u202f\u00a0]/g, '').replace(',', '.');
  return /^-?\d+(\.\d+)?$/.test(clean) ? Number(clean) : Number.NaN;
}

function keyOf(kind: CsvImportKind, v: unknown): [string, string | null] {
  if (kind === 'customers') return ['ref', (v as CustomerRow).ref];
  if (kind === 'invoices') return ['number', (v as InvoiceRow).number];
  return ['external_id', (v as PaymentRow).externalId];
}

function toRow(kind: CsvImportKind, r: Record<string, string>, lineRows: LineRow[] = []): { value: unknown } | { errors: (Omit<RowError, 'line'> & { line?: number })[] } {
  const v = (name: string) => r[name] ?? '';
  const amountErrors: Omit<RowError, 'line'>[] = [];
  const cents = (column: string) => {
    const value = centsOf(v(column));
    if (value === undefined || value === 0) amountErrors.push({ field: column, message: 'an amount above zero such as 1250.00' });
    return value ?? 1;
  };
  // A customer row with any bank column carries a mandate, checked by the same rules as the customer page.
  const mandate = kind === 'customers' && MANDATE_COLUMNS.some((c) => v(c))
    ? mandateForm.safeParse({
        iban: v('iban'), bic: v('bic'), holder: v('account_holder') || v('name'), bankName: v('bank_name'), reference: v('mandate_reference'),
        signedOn: v('mandate_signed_on'), signedPlace: v('mandate_signed_place'), sequence: v('sequence') || 'FRST',
      })
    : undefined;
  const result =
    kind === 'customers'
      ? customerRow.safeParse({
          ref: v('ref'), name: v('name'), emails: v('emails').split(/[;\s,]+/).filter(Boolean), language: v('language') || 'fr',
          address: { line1: v('address_line1'), line2: v('address_line2'), postalCode: v('postal_code'), city: v('city'), country: v('country') || 'FR' },
        })
      : kind === 'invoices'
        ? invoiceRow.safeParse({
            number: v('number'), customerRef: v('customer_ref'), issueDate: v('issue_date'), dueDate: v('due_date') || undefined, paymentTerms: v('payment_terms') || undefined,
            currency: v('currency') || 'EUR', totalCents: cents('total'), status: v('status') || 'open', sentAt: v('sent_at') || undefined,
            lines: lineRows.some((l) => LINE_COLUMNS.some((c) => l.record[c])) ? lineRows.map(({ record: l }) => ({
              label: l.line_label ?? '', quantity: decimalOf(l.line_quantity ?? ''),
              unitPriceCents: Math.round(decimalOf(l.line_unit_price ?? '') * 100_000) / 1000, vatRate: decimalOf(l.line_vat_rate ?? ''),
            })) : undefined,
          })
        : paymentRow.safeParse({
            invoiceNumber: v('invoice_number'), amountCents: cents('amount'), currency: v('currency') || 'EUR',
            paidOn: v('paid_on'), method: v('method') || 'transfer', externalId: v('external_id') || null,
          });
  const errors = [
    ...amountErrors,
    ...[...(result.error?.issues ?? []), ...(mandate?.error?.issues ?? [])].map((i) => {
      // A line's problem is on that line's row, under its column; the lines' sum is the total's.
      if (i.path[0] === 'lines' && typeof i.path[1] === 'number') {
        return { line: lineRows[i.path[1]]?.line, field: LINE_COLUMN_OF[String(i.path[2])] ?? 'line_label', message: i.message };
      }
      const path = i.path.join('.');
      return { field: path === 'lines' ? 'total' : COLUMN_OF[path] ?? (path || 'row'), message: i.message };
    }),
  ];
  if (errors.length) return { errors };
  return { value: mandate?.success ? { ...(result.data as object), mandate: mandate.data } : result.data };
}
