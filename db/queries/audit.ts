import type { ISql } from '../client.js';

export interface AuditEntry {
  id: number;
  userName: string | null;
  action: string;
  entity: string;
  before: unknown;
  after: unknown;
  at: Date;
}

/** One configuration change: who, what, and the values before and after (null when created or deleted). */
export async function writeAudit(
  sql: ISql,
  e: { userId: number; action: string; entity: string; before: unknown; after: unknown },
): Promise<void> {
  await sql`insert into audit_log (user_id, action, entity, before, after)
    values (${e.userId}, ${e.action}, ${e.entity}, ${e.before === null ? null : sql.json(e.before as never)}, ${e.after === null ? null : sql.json(e.after as never)})`;
}

export async function recentAudit(sql: ISql, limit = 100): Promise<AuditEntry[]> {
  return sql<AuditEntry[]>`
    select a.id, u.name as "userName", a.action, a.entity, a.before, a.after, a.at
    from audit_log a left join users u on u.id = a.user_id
    order by a.id desc limit ${limit}`;
}
