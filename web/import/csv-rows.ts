import { parse } from 'csv-parse/sync';
import { z } from 'zod';
import type { ImportKind } from '../../db/queries/imports.js';
import { centsOf } from '../admin/form.js';
import { customerBody, invoiceBody, numberParam, paymentBody, refParam } from '../api/schemas.js';
import { mandateForm } from '../sepa/bank-fields.js';

export interface RowError {
  line: number;
  field: string;
  message: string;
}

export const COLUMNS: Record<ImportKind, { required: string[]; optional: string[] }> = {
  customers: {
    required: ['ref', 'name'],
    optional: ['emails', 'address_line1', 'address_line2', 'postal_code', 'city', 'country', 'language',
      'iban', 'bic', 'account_holder', 'bank_name', 'mandate_reference', 'mandate_signed_on', 'mandate_signed_place', 'sequence'],
  },
  invoices: { required: ['number', 'customer_ref', 'issue_date', 'due_date', 'total'], optional: ['currency', 'status', 'sent_at'] },
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
  customerRef: 'customer_ref', issueDate: 'issue_date', dueDate: 'due_date', sentAt: 'sent_at', totalCents: 'total', invoiceNumber: 'invoice_number',
  amountCents: 'amount', paidOn: 'paid_on', externalId: 'external_id', 'address.line1': 'address_line1', 'address.line2': 'address_line2',
  'address.postalCode': 'postal_code', 'address.city': 'city', 'address.country': 'country',
  holder: 'account_holder', bankName: 'bank_name', reference: 'mandate_reference', signedOn: 'mandate_signed_on', signedPlace: 'mandate_signed_place',
};
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
export function checkCsv(kind: ImportKind, content: string): { ok: true; parsed: ParsedRows } | { ok: false; errors: RowError[] } {
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
  table.rows.forEach((r, i) => {
    const line = i + 2;
    const result = toRow(kind, r);
    if ('errors' in result) {
      errors.push(...result.errors.map((e) => ({ line, ...e })));
      return;
    }
    rows.push({ line, value: result.value });
    const [keyColumn, key] = keyOf(kind, result.value);
    if (key === null) return;
    const first = firstLineOf.get(key);
    if (first) errors.push({ line, field: keyColumn, message: `repeats line ${first}` });
    else firstLineOf.set(key, line);
  });
  if (errors.length) return { ok: false, errors };
  return { ok: true, parsed: { kind, rows } as ParsedRows };
}

function keyOf(kind: ImportKind, v: unknown): [string, string | null] {
  if (kind === 'customers') return ['ref', (v as CustomerRow).ref];
  if (kind === 'invoices') return ['number', (v as InvoiceRow).number];
  return ['external_id', (v as PaymentRow).externalId];
}

function toRow(kind: ImportKind, r: Record<string, string>): { value: unknown } | { errors: Omit<RowError, 'line'>[] } {
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
            number: v('number'), customerRef: v('customer_ref'), issueDate: v('issue_date'), dueDate: v('due_date'),
            currency: v('currency') || 'EUR', totalCents: cents('total'), status: v('status') || 'open', sentAt: v('sent_at') || undefined,
          })
        : paymentRow.safeParse({
            invoiceNumber: v('invoice_number'), amountCents: cents('amount'), currency: v('currency') || 'EUR',
            paidOn: v('paid_on'), method: v('method') || 'transfer', externalId: v('external_id') || null,
          });
  const errors = [
    ...amountErrors,
    ...[...(result.error?.issues ?? []), ...(mandate?.error?.issues ?? [])].map((i) => {
      const path = i.path.join('.');
      return { field: COLUMN_OF[path] ?? (path || 'row'), message: i.message };
    }),
  ];
  if (errors.length) return { errors };
  return { value: mandate?.success ? { ...(result.data as object), mandate: mandate.data } : result.data };
}
