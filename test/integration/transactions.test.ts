import postgres from 'postgres';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { freshDatabase } from '../helpers/database.js';

let db: Awaited<ReturnType<typeof freshDatabase>>;

beforeAll(async () => {
  db = await freshDatabase();
});
afterAll(async () => {
  await db?.drop();
});

/** A pool whose connections take at most `maxPipeline` queries in flight (a driver option its types leave out). */
const pool = (max: number, maxPipeline: number) => postgres(db.url, { max, max_pipeline: maxPipeline, onnotice: () => {} } as postgres.Options<{}>);

// postgres.js 3.4.9 could send a transaction's BEGIN without reserving its connection when that
// BEGIN filled the connection's pipeline: the transaction failed (UNSAFE_TRANSACTION) and, worse,
// other queries then ran inside it. patches/postgres+3.4.9.patch reserves it whenever BEGIN is sent.
it('a transaction whose BEGIN fills the pipeline still runs on a connection of its own', async () => {
  const sql = pool(2, 0);
  try {
    expect(await sql.begin((tx) => tx`select 1 as ok`)).toEqual([{ ok: 1 }]);
  } finally {
    await sql.end({ timeout: 5 });
  }
});

it('under a crowd of transactions and single queries on a small pool, no single query runs inside a transaction', async () => {
  const sql = pool(2, 1);
  try {
    await sql`create table crowd (n int)`;
    const work = Array.from({ length: 600 }, (_, i) =>
      i % 3 === 0
        ? sql.begin(async (tx) => {
            await tx`insert into crowd values (${i})`;
            await tx`select pg_sleep(0.001)`;
            return 'committed';
          })
        // A lone select writes nothing, so it has no transaction id; inside a transaction that inserted, it would.
        : sql<{ own: boolean }[]>`select pg_current_xact_id_if_assigned() is null as own`.then(([row]) => (row!.own ? 'alone' : 'inside another transaction')));
    const outcomes = await Promise.all(work);
    expect(new Set(outcomes)).toEqual(new Set(['committed', 'alone']));
    expect((await sql<{ n: number }[]>`select count(*)::int as n from crowd`)[0]!.n).toBe(200);
  } finally {
    await sql.end({ timeout: 5 });
  }
});
