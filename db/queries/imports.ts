import type { ISql, Sql } from '../client.js';
import { pauseInvoices } from './invoices.js';

export type CsvImportKind = 'customers' | 'invoices' | 'payments';
/** A CSV file of one kind, or a batch of Factur-X invoices (their PDFs in `import_documents`). */
export type ImportKind = CsvImportKind | 'factur-x';

export interface ImportRecord {
  id: number;
  kind: ImportKind;
  filename: string;
  fileSha256: string;
  content: string;
  rowCount: number;
  status: 'checked' | 'applied';
  appliedAt: Date | null;
  workflowsTotal: number;
  workflowsDone: number;
  /** Left to the repair pass: the engine was unreachable when the import was applied. */
  workflowsPending: number;
  /** An operator stopped the starts: the invoices not started yet are paused. */
  cancelledBy: string | null;
  /** Why the starts stopped on their own (the rest is left to the repair pass). */
  workflowsFailure: string | null;
  /** When the starts last reported progress: long ago and unfinished, a restart cut them short. */
  workflowsNotedAt: Date | null;
}

export async function insertImport(sql: ISql, i: { kind: ImportKind; filename: string; fileSha256: string; content: string; rowCount: number; userId: number }): Promise<number> {
  const [row] = await sql<{ id: number }[]>`
    insert into imports (kind, filename, file_sha256, content, row_count, created_by)
    values (${i.kind}, ${i.filename}, ${i.fileSha256}, ${i.content}, ${i.rowCount}, ${i.userId}) returning id`;
  return row!.id;
}

export async function importById(sql: ISql, id: number): Promise<ImportRecord | undefined> {
  const [row] = await sql<ImportRecord[]>`
    select id, kind, filename, file_sha256 as "fileSha256", content, row_count as "rowCount", status, applied_at as "appliedAt",
           workflows_total as "workflowsTotal", workflows_done as "workflowsDone", workflows_pending as "workflowsPending",
           cancelled_by as "cancelledBy", workflows_failure as "workflowsFailure", workflows_noted_at as "workflowsNotedAt"
    from imports where id = ${id}`;
  return row;
}

/** Marks the import applied first thing in the transaction that writes its rows: a second click waits, then finds it taken. */
export async function claimImport(sql: ISql, id: number): Promise<boolean> {
  const rows = await sql`update imports set status = 'applied', applied_at = now() where id = ${id} and status = 'checked' returning id`;
  return rows.length === 1;
}

export async function setWorkflowsTotal(sql: ISql, id: number, total: number): Promise<void> {
  await sql`update imports set workflows_total = ${total} where id = ${id}`;
}

export async function noteWorkflowsDone(sql: ISql, id: number, done: number, pending: number): Promise<void> {
  await sql`update imports set workflows_done = ${done}, workflows_pending = ${pending}, workflows_noted_at = now() where id = ${id}`;
}

export async function noteWorkflowsFailure(sql: ISql, id: number, reason: string): Promise<void> {
  await sql`update imports set workflows_failure = ${reason}, workflows_noted_at = now() where id = ${id}`;
}

/** Asks the starts of an applied import to stop; false when they had finished (or were stopped) already. */
export async function requestImportCancel(sql: ISql, id: number, actor: string): Promise<boolean> {
  const rows = await sql`update imports set cancel_requested_at = now(), cancelled_by = ${actor}
    where id = ${id} and status = 'applied' and workflows_done < workflows_total and cancel_requested_at is null and workflows_failure is null returning id`;
  return rows.length === 1;
}

/** Who asked the import's starts to stop, if anyone did. */
export async function importCancelledBy(sql: ISql, id: number): Promise<string | null> {
  const [row] = await sql<{ cancelledBy: string | null }[]>`select cancelled_by as "cancelledBy" from imports where id = ${id}`;
  return row?.cancelledBy ?? null;
}

/**
 * The starts stopped by an operator: the invoices they did not reach are paused with the reason (the
 * repair pass then starts their workflows on hold) and count as done, so the bar completes.
 */
export async function pauseUnstartedInvoices(sql: Sql, id: number, invoiceIds: readonly number[], actor: string): Promise<void> {
  await sql.begin(async (tx) => {
    await pauseInvoices(tx, invoiceIds, `import #${id} cancelled by ${actor} before its workflow started`, { importCancelled: id, by: actor }, actor);
    await tx`update imports set workflows_done = workflows_total, workflows_noted_at = now() where id = ${id}`;
  });
}

export async function recentImports(sql: ISql, limit = 20): Promise<Omit<ImportRecord, 'content'>[]> {
  return sql<Omit<ImportRecord, 'content'>[]>`
    select id, kind, filename, file_sha256 as "fileSha256", row_count as "rowCount", status, applied_at as "appliedAt",
           workflows_total as "workflowsTotal", workflows_done as "workflowsDone", workflows_pending as "workflowsPending",
           cancelled_by as "cancelledBy", workflows_failure as "workflowsFailure", workflows_noted_at as "workflowsNotedAt"
    from imports order by id desc limit ${limit}`;
}

/** The PDFs of a Factur-X batch, kept in the order they were dropped until the batch is applied. */
export async function insertImportDocuments(sql: ISql, importId: number, files: readonly { filename: string; content: Uint8Array }[]): Promise<void> {
  for (const [position, f] of files.entries()) {
    await sql`insert into import_documents (import_id, position, filename, content) values (${importId}, ${position}, ${f.filename}, ${Buffer.from(f.content)})`;
  }
}

export async function importDocuments(sql: ISql, importId: number): Promise<{ filename: string; content: Uint8Array }[]> {
  return sql<{ filename: string; content: Uint8Array }[]>`select filename, content from import_documents where import_id = ${importId} order by position`;
}
