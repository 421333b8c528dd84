import type { Fragment, ISql } from '../client.js';
import type { InvoiceLine } from '../../workflows/schedule/invoice-lines.js';

/** Replaces an invoice's lines with these, in their order; call inside the invoice's transaction. */
export async function replaceInvoiceLines(sql: ISql, invoiceId: number, lines: readonly InvoiceLine[]): Promise<void> {
  await sql`delete from invoice_lines where invoice_id = ${invoiceId}`;
  if (lines.length === 0) return;
  await sql`insert into invoice_lines ${sql(
    lines.map((l, i) => ({
      invoice_id: invoiceId, position: i + 1, label: l.label, quantity_milli: l.quantityMilli, unit_price_cents: l.unitPriceCents, vat_rate_bp: l.vatRateBp,
    })),
  )}`;
}

/** An invoice's lines in their order, as a JSON array a larger statement can read with the rest. */
export const linesJson = (sql: ISql, invoiceId: number | Fragment) => sql`
  (select coalesce(json_agg(json_build_object('label', l.label, 'quantityMilli', l.quantity_milli, 'unitPriceCents', l.unit_price_cents, 'vatRateBp', l.vat_rate_bp)
                   order by l.position), '[]')
   from invoice_lines l where l.invoice_id = ${invoiceId})`;

export async function linesOf(sql: ISql, invoiceId: number): Promise<InvoiceLine[]> {
  const [row] = await sql<{ lines: InvoiceLine[] }[]>`select ${linesJson(sql, invoiceId)} as lines`;
  return row!.lines;
}
