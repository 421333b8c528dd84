import { readdir, readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import type { Sql } from './client.js';

const migrationsDir = fileURLToPath(new URL('./migrations/', import.meta.url));
const LOCK_KEY = 7_356_001;

interface Migration {
  id: number;
  name: string;
  file: string;
}

async function listMigrations(): Promise<Migration[]> {
  const files = (await readdir(migrationsDir)).filter((f) => /^\d{4}_[\w-]+\.sql$/.test(f)).sort();
  return files.map((file) => ({ id: Number(file.slice(0, 4)), name: file.slice(5, -4), file }));
}

/** Applies pending numbered migrations, each in its own transaction; safe to run concurrently and repeatedly. */
export async function migrate(sql: Sql): Promise<{ applied: string[] }> {
  const migrations = await listMigrations();
  const applied: string[] = [];
  await sql.begin(async (tx) => {
    await tx`select pg_advisory_xact_lock(${LOCK_KEY})`;
    await tx`create table if not exists schema_migrations (
      id integer primary key, name text not null, applied_at timestamptz not null default now())`;
    const done = await tx<{ id: number }[]>`select id from schema_migrations order by id`;
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
      const text = await readFile(migrationsDir + m.file, 'utf8');
      await tx.savepoint(async (sp) => {
        await sp.unsafe(text);
        await sp`insert into schema_migrations (id, name) values (${m.id}, ${m.name})`;
      });
      applied.push(m.file);
    }
  });
  return { applied };
}
