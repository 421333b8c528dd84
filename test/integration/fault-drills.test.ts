import { timelineTexts } from '../helpers/database.js';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from '@temporalio/client';
import { afterAll, beforeAll, expect, inject, it, vi } from 'vitest';
import { createSql, type Sql } from '../../db/client.js';
import { startEmbeddedPostgres, type EmbeddedDatabase } from '../../db/embedded.js';
import { migrate } from '../../db/migrate.js';
import { liftOperatorStop, openInvoiceRefs } from '../../db/queries/invoices.js';
import { ensureDefaultPolicy } from '../../db/seed/defaults.js';
import { startDevServer, type DevServer } from '../../scripts/temporal-dev-server.js';
import { dunningWorkflowId, ensureDunningWorkflows, startOrWakeDunning } from '../../services/temporal/dunning-client.js';
import { repairDunningWorkflows } from '../../activities/dunning-repair.js';
import { stateQuery } from '../../workflows/messages.js';
import { childEnvironment } from '../../platform/config.js';
import { freePort } from '../helpers/ports.js';
import { startResendServer } from '../helpers/resend-server.js';
import { recordHistory } from '../helpers/histories.js';

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

it("respects an operator's stop: a cancel is caught and recorded, a terminate found by the repair pass, neither restarted until resumed", async () => {
  const client = new Client({ connection: server.connection });
  await sql`insert into customers (ref, name, emails) values ('OPS', 'Client opérateur', array['ops@drill.example'])`;
  // Due in a month: nothing is sent while the drill runs. No workflow yet, as if written while Temporal was down.
  await sql`insert into invoices (number, customer_id, issue_date, due_date, currency, total_cents)
    select 'OPS-' || g, (select id from customers where ref = 'OPS'), current_date, current_date + 30, 'EUR', 10000 from generate_series(1, 3) g`;
  const [cancelled, terminated, untouched] = await sql<{ id: number }[]>`select id from invoices where number like 'OPS-%' order by number`;
  const handle = (id: number) => client.workflow.getHandle(dunningWorkflowId(id));
  const repair = () => repairDunningWorkflows({ sql, temporal: client, taskQueue: 'drills' });

  const first = await repair();
  expect(first.started).toBeGreaterThanOrEqual(3);
  for (const i of [cancelled, terminated, untouched]) await vi.waitFor(async () => expect((await handle(i!.id).query(stateQuery)).next).not.toBeNull(), { timeout: 30_000 });
  expect(await sql`select count(*)::int as n from follow_up_events where kind = 'dunning_repaired' and invoice_id = ${untouched!.id}`).toEqual([{ n: 1 }]);

  await handle(cancelled!.id).cancel();
  await vi.waitFor(async () => expect((await sql`select stopped_reason from invoices where id = ${cancelled!.id}`)[0]!.stopped_reason).toBe('cancelled'), { timeout: 30_000 });
  await vi.waitFor(async () => expect((await handle(cancelled!.id).describe()).status.name).toBe('CANCELLED'));
  expect((await handle(cancelled!.id).describe()).searchAttributes.DunningStatus).toEqual(['stopped']);
  await recordHistory(handle(cancelled!.id), 'invoice-dunning-operator-stop');
  await handle(terminated!.id).terminate('operator test');

  // The repair pass (this one, or the worker's own on its schedule) records the terminate as a stop, and restarts neither.
  await vi.waitFor(async () => {
    await repair();
    expect((await sql`select stopped_reason from invoices where id = ${terminated!.id}`)[0]!.stopped_reason).toBe('terminated');
  }, { timeout: 30_000, interval: 500 });
  await repair();
  expect((await handle(terminated!.id).describe()).status.name).toBe('TERMINATED');
  expect((await handle(cancelled!.id).describe()).status.name).toBe('CANCELLED');
  expect(await sql`select number, stopped_reason from invoices where number like 'OPS-%' order by number`).toEqual([
    { number: 'OPS-1', stopped_reason: 'cancelled' }, { number: 'OPS-2', stopped_reason: 'terminated' }, { number: 'OPS-3', stopped_reason: null },
  ]);
  expect((await timelineTexts(sql, 'dunning_stopped', terminated!.id))[0]).toContain('stopped by an operator: its workflow was terminated in Temporal');
  expect((await timelineTexts(sql, 'dunning_stopped', terminated!.id, 'fr'))[0]).toContain('arrêtées par un opérateur : son suivi a été interrompu dans Temporal');

  // Lifted from the admin site: the workflow runs again and plans its next step.
  expect(await liftOperatorStop(sql, cancelled!.id, 'alice')).toBe(true);
  await startOrWakeDunning(client, 'drills', { id: cancelled!.id, number: 'OPS-1', customerRef: 'OPS' });
  await vi.waitFor(async () => expect((await handle(cancelled!.id).query(stateQuery)).next).not.toBeNull(), { timeout: 30_000 });
}, 120_000);
