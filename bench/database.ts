import { createSql, type Sql } from '../db/client.js';
import { migrate } from '../db/migrate.js';
import { ensureDefaultPolicy } from '../db/seed/defaults.js';

/** A fresh, migrated database of its own for one benchmark, in the bench's PostgreSQL; `drop` removes it. */
export async function benchDatabase(adminUrl: string, name: string): Promise<{ sql: Sql; url: string; drop(): Promise<void> }> {
  const admin = createSql(adminUrl, { max: 1 });
  await admin.unsafe(`drop database if exists ${name}`);
  await admin.unsafe(`create database ${name}`);
  const url = adminUrl.replace(/\/[^/]+$/, `/${name}`);
  const sql = createSql(url);
  await migrate(sql);
  await ensureDefaultPolicy(sql);
  return {
    sql,
    url,
    async drop() {
      await sql.end({ timeout: 5 });
      await admin.unsafe(`drop database if exists ${name}`).catch(() => undefined);
      await admin.end({ timeout: 5 });
    },
  };
}
