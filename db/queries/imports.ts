import type { ISql } from '../client.js';

export type ImportKind = 'customers' | 'invoices' | 'payments';

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
           workflows_total as "workflowsTotal", workflows_done as "workflowsDone", workflows_pending as "workflowsPending"
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
  await sql`update imports set workflows_done = ${done}, workflows_pending = ${pending} where id = ${id}`;
}

export async function recentImports(sql: ISql, limit = 20): Promise<Omit<ImportRecord, 'content'>[]> {
  return sql<Omit<ImportRecord, 'content'>[]>`
    select id, kind, filename, file_sha256 as "fileSha256", row_count as "rowCount", status, applied_at as "appliedAt",
           workflows_total as "workflowsTotal", workflows_done as "workflowsDone", workflows_pending as "workflowsPending"
    from imports order by id desc limit ${limit}`;
}
