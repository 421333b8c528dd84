import type { ISql } from '../client.js';
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

export async function linesOf(sql: ISql, invoiceId: number): Promise<InvoiceLine[]> {
  return sql<InvoiceLine[]>`
    select label, quantity_milli as "quantityMilli", unit_price_cents as "unitPriceCents", vat_rate_bp as "vatRateBp"
    from invoice_lines where invoice_id = ${invoiceId} order by position`;
}
