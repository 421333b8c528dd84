import { afterAll, beforeAll, expect, it } from 'vitest';
import { migrate } from '../../db/migrate.js';
import { ensureDefaultPolicy } from '../../db/seed/defaults.js';
import { freshDatabase } from '../helpers/database.js';

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
