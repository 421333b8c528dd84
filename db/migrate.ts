import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Sql } from './client.js';

const migrationsDir = fileURLToPath(new URL('./migrations/', import.meta.url));
const LOCK_KEY = 7_356_001;

interface Migration {
  id: number;
  name: string;
  file: string;
}

async function listMigrations(dir: string): Promise<Migration[]> {
  const files = (await readdir(dir)).filter((f) => /^\d{4}_[\w-]+\.sql$/.test(f)).sort();
  return files.map((file) => ({ id: Number(file.slice(0, 4)), name: file.slice(5, -4), file }));
}

/**
 * Applies pending numbered migrations, each in its own transaction (a failing one leaves those
 * before it applied and nothing of itself); safe to run concurrently and repeatedly: one
 * connection holds an advisory lock while it migrates.
 */
export async function migrate(sql: Sql, options: { dir?: string } = {}): Promise<{ applied: string[] }> {
  const dir = options.dir ?? migrationsDir;
  const migrations = await listMigrations(dir);
  const applied: string[] = [];
  const conn = await sql.reserve();
  try {
    await conn`select pg_advisory_lock(${LOCK_KEY})`;
    try {
      await conn`create table if not exists schema_migrations (
        id integer primary key, name text not null, applied_at timestamptz not null default now())`;
      const done = await conn<{ id: number }[]>`select id from schema_migrations order by id`;
      const doneIds = new Set(done.map((r) => r.id));
      const latestKnown = migrations.at(-1)?.id ?? 0;
      const newer = done.find((r) => r.id > latestKnown);
      if (newer) {
        throw new Error(
          `The database has migration ${newer.id}, newer than this version of Relance knows (${latestKnown}). ` +
            'Upgrade Relance before pointing it at this database.',
        );
      }
      for (const m of migrations) {
        if (doneIds.has(m.id)) continue;
        const text = await readFile(join(dir, m.file), 'utf8');
        // By hand on the reserved connection, which holds the lock (a pool of one has no other).
        await conn`begin`;
        try {
          await conn.unsafe(text);
          await conn`insert into schema_migrations (id, name) values (${m.id}, ${m.name})`;
          await conn`commit`;
        } catch (err) {
          await conn`rollback`;
          throw new Error(`Migration ${m.file} failed, nothing of it was applied: ${(err as Error).message}`, { cause: err });
        }
        applied.push(m.file);
      }
    } finally {
      await conn`select pg_advisory_unlock(${LOCK_KEY})`;
    }
  } finally {
    conn.release();
  }
  return { applied };
}
