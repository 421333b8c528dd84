import type { Sql } from '../db/client.js';

/**
 * The statements this database runs over one stretch of work, from `pg_stat_statements` (the bench's
 * PostgreSQL loads it): each is a round trip, BEGIN and COMMIT included. Null where it is not loaded.
 */
export async function statementCounter(sql: Sql): Promise<{ since(): Promise<{ total: number; top: { calls: number; query: string }[] } | null> }> {
  try {
    await sql`create extension if not exists pg_stat_statements`;
    await sql`select pg_stat_statements_reset()`;
  } catch {
    return { since: async () => null };
  }
  return {
    async since() {
      const rows = await sql<{ calls: number; query: string }[]>`
        select calls::int, query from pg_stat_statements
        where dbid = (select oid from pg_database where datname = current_database()) and query not like '%pg_stat_statements%'
        order by calls desc`;
      return { total: rows.reduce((n, r) => n + r.calls, 0), top: rows.slice(0, 12).map((r) => ({ calls: r.calls, query: r.query.replace(/\s+/g, ' ').slice(0, 140) })) };
    },
  };
}
