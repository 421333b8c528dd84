import { afterAll, beforeAll, expect, it } from 'vitest';
import { migrate } from '../../db/migrate.js';
import { ensureDefaultPolicy } from '../../db/seed/defaults.js';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freshDatabase, freshEmptyDatabase } from '../helpers/database.js';

let db: Awaited<ReturnType<typeof freshDatabase>>;
beforeAll(async () => {
  db = await freshDatabase();
});
afterAll(() => db?.drop());

it('migrating and seeding the defaults twice does no harm', async () => {
  expect(await migrate(db.sql)).toEqual({ applied: [] });
  await ensureDefaultPolicy(db.sql);
  const [{ steps }] = await db.sql<[{ steps: number }]>`select count(*)::int as steps from follow_up_steps`;
  expect(steps).toBe(4);
});

it('refuses a database migrated by a newer Relance, naming the migration', async () => {
  await db.sql`insert into schema_migrations (id, name) values (9999, 'from_the_future')`;
  await expect(migrate(db.sql)).rejects.toThrow(/migration 9999, newer than this version of Relance knows/);
});

it('applies each migration in its own transaction: a failing one leaves those before it applied and nothing of itself', async () => {
  const empty = await freshEmptyDatabase();
  const dir = await mkdtemp(join(tmpdir(), 'relance-migrations-'));
  try {
    await writeFile(join(dir, '0001_first.sql'), 'create table first_table (id int);');
    await writeFile(join(dir, '0002_broken.sql'), 'create table second_table (id int);\nthis is not sql;');
    await expect(migrate(empty.sql, { dir })).rejects.toThrow(/Migration 0002_broken.sql failed, nothing of it was applied: syntax error/);
    expect(await empty.sql`select id, name from schema_migrations`).toEqual([{ id: 1, name: 'first' }]);
    expect(await empty.sql`select to_regclass('first_table')::text as first, to_regclass('second_table')::text as second`).toEqual([{ first: 'first_table', second: null }]);
    // Fixed, it goes on from there; two runs at once apply it once.
    await writeFile(join(dir, '0002_broken.sql'), 'create table second_table (id int);');
    const runs = await Promise.all([migrate(empty.sql, { dir }), migrate(empty.sql, { dir })]);
    expect(runs.flatMap((r) => r.applied)).toEqual(['0002_broken.sql']);
  } finally {
    await rm(dir, { recursive: true, force: true });
    await empty.drop();
  }
});
