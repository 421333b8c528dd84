import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from '@temporalio/client';
import { afterAll, beforeAll, expect, inject, it, vi } from 'vitest';
import { openInvoiceRefs } from '../../db/queries/invoices.js';
import { startDevServer, type DevServer } from '../../scripts/temporal-dev-server.js';
import { ensureDunningWorkflows } from '../../web/dunning-client.js';
import { childEnvironment } from '../../worker/config.js';
import { freshDatabase } from '../helpers/database.js';
import { freePort } from '../helpers/ports.js';

// The real thing: a Temporal dev server and the worker as its own process, killed with SIGKILL
// while reminders are going out, then started again.
const INVOICES = 300;
let db: Awaited<ReturnType<typeof freshDatabase>>;
let server: DevServer;
let dir: string;
const workers: ChildProcess[] = [];

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'relance-crash-'));
  [db, server] = await Promise.all([
    freshDatabase(),
    startDevServer({ cli: inject('temporalCliPath'), dbFile: join(dir, 'temporal.db'), port: await freePort(), uiPort: await freePort(), namespace: 'default', output: 'ignore' }),
  ]);
});
afterAll(async () => {
  for (const w of workers) w.kill('SIGKILL');
  await server?.connection.close();
  await server?.stop();
  await db?.drop();
  await rm(dir, { recursive: true, force: true });
});

function startWorker(): ChildProcess {
  const worker = spawn(process.execPath, ['--import', 'tsx', 'worker/main.ts'], {
    stdio: ['ignore', 'ignore', 'inherit'],
    env: childEnvironment({ DATABASE_URL: db.url, TEMPORAL_ADDRESS: server.address, TEMPORAL_TASK_QUEUE: 'crash', API_TOKEN: 'c'.repeat(32), LOG_LEVEL: 'warn' }),
  });
  workers.push(worker);
  return worker;
}

async function counts() {
  const [row] = await db.sql<[{ sent: number; outbox: number; keys: number; maxPerInvoice: number }]>`
    select (select count(*)::int from reminders where status = 'sent') as sent,
           (select count(*)::int from outbox) as outbox,
           (select count(distinct idempotency_key)::int from outbox) as keys,
           (select coalesce(max(n), 0)::int from (select count(*) as n from reminders group by invoice_id) x) as "maxPerInvoice"`;
  return row;
}

it('a worker killed with SIGKILL mid-run and restarted sends every due reminder exactly once', async () => {
  // Twenty days overdue: at least the first level is due, whatever the weekday and hour.
  await db.sql`insert into customers (ref, name, emails) select 'K-' || g, 'Client ' || g, array['ap' || g || '@crash.example'] from generate_series(1, 30) g`;
  await db.sql`insert into invoices (number, customer_id, issue_date, due_date, currency, total_cents)
    select 'KF-' || g, (select id from customers where ref = 'K-' || (1 + g % 30)), current_date - 50, current_date - 20, 'EUR', 10000 + g
    from generate_series(1, ${INVOICES}) g`;
  const first = startWorker();
  const client = new Client({ connection: server.connection });
  const starting = ensureDunningWorkflows(client, 'crash', await openInvoiceRefs(db.sql));

  await vi.waitFor(async () => expect((await counts()).sent).toBeGreaterThanOrEqual(INVOICES / 5), { timeout: 60_000, interval: 100 });
  first.kill('SIGKILL');
  const killedAt = (await counts()).sent;
  expect(killedAt).toBeLessThan(INVOICES);

  startWorker();
  await starting;
  await vi.waitFor(async () => expect((await counts()).sent).toBe(INVOICES), { timeout: 90_000, interval: 250 });
  expect(await counts()).toEqual({ sent: INVOICES, outbox: INVOICES, keys: INVOICES, maxPerInvoice: 1 });
});
