import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from '@temporalio/client';
import { afterAll, beforeAll, expect, inject, it, vi } from 'vitest';
import { createSql, type Sql } from '../../db/client.js';
import { startEmbeddedPostgres, type EmbeddedDatabase } from '../../db/embedded.js';
import { migrate } from '../../db/migrate.js';
import { openInvoiceRefs } from '../../db/queries/invoices.js';
import { ensureDefaultPolicy } from '../../db/seed/defaults.js';
import { startDevServer, type DevServer } from '../../scripts/temporal-dev-server.js';
import { ensureDunningWorkflows } from '../../web/dunning-client.js';
import { childEnvironment } from '../../worker/config.js';
import { freePort } from '../helpers/ports.js';
import { startResendServer } from '../helpers/resend-server.js';

// Fault drills (issue 7): the real worker process, a Temporal dev server and a PostgreSQL of their
// own, and a Resend-speaking server; each drill breaks one of them while a few hundred reminders
// are due, and ends the same way: every due reminder recorded and sent exactly once.
const INVOICES = 200;
let dir: string;
let pg: EmbeddedDatabase;
let pgPort: number;
let sql: Sql;
let server: DevServer;
let temporalPort: number;
let resend: Awaited<ReturnType<typeof startResendServer>>;
let worker: ChildProcess;

const startTemporal = () =>
  startDevServer({ cli: inject('temporalCliPath'), dbFile: join(dir, 'temporal.db'), port: temporalPort, uiPort: temporalPort + 1, namespace: 'default', output: 'ignore' });
const startPostgres = () => startEmbeddedPostgres({ dataDir: join(dir, 'pg'), port: pgPort });

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'relance-drills-'));
  [pgPort, temporalPort] = [await freePort(), await freePort()];
  [pg, server, resend] = await Promise.all([startPostgres(), startTemporal(), startResendServer()]);
  sql = createSql(pg.url, { max: 4 });
  await migrate(sql);
  await ensureDefaultPolicy(sql);
  worker = spawn(process.execPath, ['--import', 'tsx', 'worker/main.ts'], {
    stdio: ['ignore', 'ignore', 'inherit'],
    env: childEnvironment({
      DATABASE_URL: pg.url, TEMPORAL_ADDRESS: server.address, TEMPORAL_TASK_QUEUE: 'drills', API_TOKEN: 'd'.repeat(32), LOG_LEVEL: 'fatal',
      RESEND_API_KEY: resend.apiKey, RESEND_BASE_URL: resend.baseUrl,
    }),
  });
}, 180_000);
afterAll(async () => {
  worker?.kill('SIGKILL');
  await sql?.end({ timeout: 5 });
  await server?.connection.close().catch(() => undefined);
  await server?.stop();
  await pg?.stop();
  await resend?.close();
  await rm(dir, { recursive: true, force: true });
});

/** A few hundred invoices twenty days overdue, their workflows started: at least one level is due each. */
async function dueInvoices(prefix: string): Promise<void> {
  await sql`insert into customers (ref, name, emails) select ${prefix} || g, 'Client ' || g, array[${prefix.toLowerCase()} || g || '@drill.example'] from generate_series(1, 20) g`;
  await sql`insert into invoices (number, customer_id, issue_date, due_date, currency, total_cents)
    select ${prefix} || 'F-' || g, (select id from customers where ref = ${prefix} || (1 + g % 20)), current_date - 50, current_date - 20, 'EUR', 10000 + g
    from generate_series(1, ${INVOICES}) g`;
  const refs = (await openInvoiceRefs(sql)).filter((r) => r.number.startsWith(prefix));
  await ensureDunningWorkflows(new Client({ connection: server.connection }), 'drills', refs);
}

async function sent(prefix: string): Promise<number> {
  const [row] = await sql<[{ n: number }]>`select count(*)::int as n from reminders r join invoices i on i.id = r.invoice_id where i.number like ${`${prefix}F-%`} and r.status = 'sent'`;
  return row.n;
}

/** Every due reminder recorded once, and sent once per (invoice, level), in a batch or alone: one key each. */
async function expectEachSentOnce(prefix: string): Promise<void> {
  await vi.waitFor(async () => expect(await sent(prefix)).toBe(INVOICES), { timeout: 240_000, interval: 500 });
  const [row] = await sql<[{ reminders: number; perInvoice: number; keys: string[] }]>`
    select count(*)::int as reminders, max(n)::int as "perInvoice", array_agg(key) as keys from (
      select r.invoice_id, count(*) over (partition by r.invoice_id) as n, r.idempotency_key as key
      from reminders r join invoices i on i.id = r.invoice_id where i.number like ${`${prefix}F-%`}) x`;
  expect(row.reminders).toBe(INVOICES);
  expect(row.perInvoice).toBe(1);
  const delivered = row.keys.filter((k) => resend.delivered.has(k));
  expect(delivered).toHaveLength(INVOICES);
  // No second key was ever delivered for the same (invoice, level).
  const slots = [...resend.delivered.keys()].filter((k) => row.keys.some((own) => own.replace(/-\d+$/, '') === k.replace(/-\d+$/, '')));
  expect(slots).toHaveLength(INVOICES);
  // Batched or alone, no e-mail reached its customer twice.
  expect(resend.resent).toEqual([]);
}

it('the Temporal server stopped mid-run and restarted on its database: every reminder sent once', async () => {
  await dueInvoices('T');
  await vi.waitFor(async () => expect(await sent('T')).toBeGreaterThanOrEqual(INVOICES / 5), { timeout: 60_000, interval: 100 });
  await server.connection.close().catch(() => undefined);
  await server.stop();
  const stoppedAt = await sent('T');
  expect(stoppedAt).toBeLessThan(INVOICES);
  server = await startTemporal();
  await expectEachSentOnce('T');
}, 360_000);

it('PostgreSQL stopped for 30 seconds mid-run and restarted: every reminder sent once', async () => {
  await dueInvoices('P');
  await vi.waitFor(async () => expect(await sent('P')).toBeGreaterThanOrEqual(INVOICES / 5), { timeout: 60_000, interval: 100 });
  await pg.stop();
  await new Promise((r) => setTimeout(r, 30_000));
  pg = await startPostgres();
  await expectEachSentOnce('P');
}, 360_000);

it('the e-mail provider answering 429 and 500 for a while, then recovering: every reminder sent once', async () => {
  resend.failNext(...Array.from({ length: 150 }, (_, i) => (i % 3 === 0 ? 500 : 429)));
  await dueInvoices('E');
  await expectEachSentOnce('E');
  expect(resend.requests.filter((r) => r.status === 429 || r.status >= 500).length).toBe(150);
}, 360_000);
