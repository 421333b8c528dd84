import type { ISql } from '../client.js';

export interface StoredDocument {
  id: number;
  reminderId: number | null;
  filename: string;
  content: Uint8Array;
  pages: number;
}

/** Keeps a reminder's rendered file; a retried render of the same reminder keeps the first. */
export async function saveDocument(sql: ISql, d: { reminderId: number; filename: string; content: Uint8Array; pages: number }): Promise<number> {
  const [row] = await sql<{ id: number }[]>`
    with ins as (
      insert into documents (reminder_id, filename, content, pages) values (${d.reminderId}, ${d.filename}, ${Buffer.from(d.content)}, ${d.pages})
      on conflict (reminder_id) do nothing returning id)
    select id from ins union all select id from documents where reminder_id = ${d.reminderId} limit 1`;
  return row!.id;
}

export async function documentById(sql: ISql, id: number): Promise<StoredDocument | undefined> {
  const [row] = await sql<StoredDocument[]>`
    select id, reminder_id as "reminderId", filename, content, pages from documents where id = ${id}`;
  return row;
}

/** A run's letters in the order of its items. */
export async function lettersOfRun(sql: ISql, runId: number): Promise<StoredDocument[]> {
  return sql<StoredDocument[]>`
    select d.id, d.reminder_id as "reminderId", d.filename, d.content, d.pages
    from bulk_run_items b join documents d on d.reminder_id = b.reminder_id
    where b.run_id = ${runId} order by b.position`;
}

export interface InvoiceLetter {
  id: number;
  filename: string;
  level: number;
  status: string;
  /** The registered letter's tracking number, once typed in. */
  trackingNumber: string | null;
}

export async function lettersOfInvoice(sql: ISql, invoiceId: number): Promise<InvoiceLetter[]> {
  return sql<InvoiceLetter[]>`
    select d.id, d.filename, r.level, r.status, r.tracking_number as "trackingNumber" from reminders r
    join reminders holder on holder.id = r.id or (r.statement_id is not null and holder.statement_id = r.statement_id)
    join documents d on d.reminder_id = holder.id
    where r.invoice_id = ${invoiceId} order by r.level`;
}
