import type { ISql } from '../client.js';

export async function saveInvoicePdf(sql: ISql, invoiceId: number, content: Uint8Array, pages: number): Promise<void> {
  await sql`insert into invoice_files (invoice_id, content, pages) values (${invoiceId}, ${Buffer.from(content)}, ${pages})
    on conflict (invoice_id) do update set content = excluded.content, pages = excluded.pages, uploaded_at = now()`;
}

export async function invoicePdfOf(sql: ISql, invoiceId: number): Promise<Uint8Array | undefined> {
  const [row] = await sql<{ content: Uint8Array }[]>`select content from invoice_files where invoice_id = ${invoiceId}`;
  return row?.content;
}
