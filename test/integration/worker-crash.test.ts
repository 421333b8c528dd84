import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from '@temporalio/client';
import { afterAll, beforeAll, expect, inject, it, vi } from 'vitest';
import { mergePdfs } from '../../services/pdf/merge.js';
import { createBulkRun } from '../../db/queries/bulk-runs.js';
import { lettersOfRun } from '../../db/queries/documents.js';
import { openInvoiceRefs } from '../../db/queries/invoices.js';
import { createPolicy, defaultPolicyId, stepsOfPolicy, updateStep } from '../../db/queries/steps.js';
import { bulkRun } from '../../workflows/bulk-run.js';
import { bulkRunWorkflowId } from '../../workflows/ids.js';
import { startDevServer, type DevServer } from '../../scripts/temporal-dev-server.js';
import { dunningWorkflowId, ensureDunningWorkflows } from '../../services/temporal/dunning-client.js';
import { childEnvironment } from '../../platform/config.js';
import { REPAIR_SCHEDULE_ID, REVIEW_SCHEDULE_ID } from '../../services/temporal/schedules.js';
import { recordHistory } from '../helpers/histories.js';
import { freshDatabase } from '../helpers/database.js';
import { freePort } from '../helpers/ports.js';
import { startResendServer } from '../helpers/resend-server.js';

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

function startWorker(extra: Record<string, string> = {}): ChildProcess {
  const worker = spawn(process.execPath, ['--import', 'tsx', 'worker/main.ts'], {
    stdio: ['ignore', 'ignore', 'inherit'],
    env: childEnvironment({ DATABASE_URL: db.url, TEMPORAL_ADDRESS: server.address, TEMPORAL_TASK_QUEUE: 'crash', API_TOKEN: 'c'.repeat(32), LOG_LEVEL: 'warn', ...extra }),
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

it('a worker killed with SIGKILL in the middle of a 500-invoice bulk run sends each reminder once and completes the letters', async () => {
  const RUN_EMAILS = 400;
  const RUN_LETTERS = 100;
  // The first drill's worker sends through the outbox: it goes, so only Resend-speaking workers poll.
  await Promise.all(workers.filter((w) => w.exitCode === null && w.signalCode === null).map((w) => new Promise((done) => {
    w.once('exit', done);
    w.kill('SIGTERM');
  })));
  const resend = await startResendServer();
  const letters = await createPolicy(db.sql, 'Courrier', (await defaultPolicyId(db.sql))!);
  const firstStep = (await stepsOfPolicy(db.sql, letters))[0]!;
  await updateStep(db.sql, firstStep.id, { ...firstStep, channel: 'letter' });
  // Due in a month: nothing is sent until the run asks.
  await db.sql`insert into customers (ref, name, emails, address_line1, postal_code, city, policy_id)
    select 'R-' || g, 'Run client ' || g, array['ap' || g || '@run.example'], g || ' rue de la Paix', '75002', 'Paris', case when g > 40 then ${letters}::bigint end
    from generate_series(1, 50) g`;
  await db.sql`insert into invoices (number, customer_id, issue_date, due_date, currency, total_cents)
    select 'RF-' || g, (select id from customers where ref = 'R-' || (case when g <= ${RUN_EMAILS} then 1 + g % 40 else 41 + g % 10 end)),
           current_date, current_date + 30, 'EUR', 10000 + g
    from generate_series(1, ${RUN_EMAILS + RUN_LETTERS}) g`;
  const env = { RESEND_API_KEY: resend.apiKey, RESEND_BASE_URL: resend.baseUrl };
  const first = startWorker(env);
  const client = new Client({ connection: server.connection });
  await vi.waitFor(async () => expect((await client.workflow.count('InvoiceNumber STARTS_WITH "RF-" AND DunningStatus = "scheduled"')).count).toBe(RUN_EMAILS + RUN_LETTERS), { timeout: 120_000, interval: 500 });

  const invoiceIds = (await db.sql<{ id: number }[]>`select id from invoices where number like 'RF-%' order by id`).map((r) => r.id);
  const [admin] = await db.sql<{ id: number }[]>`insert into users (email, name, role, password_hash) values ('run@crash.test', 'Run', 'admin', 'x') returning id`;
  const runId = await createBulkRun(db.sql, { userId: admin!.id, forcedLevel: null, sendEarly: true, channel: 'step', attachPdf: false, invoiceIds });
  await client.workflow.start(bulkRun, { workflowId: bulkRunWorkflowId(runId), taskQueue: 'crash', args: [{ runId }] });
  const done = async () => (await db.sql<{ n: number }[]>`select count(outcome)::int as n from bulk_run_items where run_id = ${runId}`)[0]!.n;
  await vi.waitFor(async () => expect(await done()).toBeGreaterThanOrEqual(100), { timeout: 120_000, interval: 100 });
  first.kill('SIGKILL');
  expect(await done()).toBeLessThan(RUN_EMAILS + RUN_LETTERS);

  startWorker(env);
  await client.workflow.getHandle(bulkRunWorkflowId(runId)).result();
  const outcomes = await db.sql`select outcome, count(*)::int as n from bulk_run_items where run_id = ${runId} group by outcome order by outcome`;
  expect(outcomes).toEqual([{ outcome: 'prepared', n: RUN_LETTERS }, { outcome: 'sent', n: RUN_EMAILS }]);
  // Each (invoice, level) sent once, in a batch or alone: one key each, never a second key, never the same key twice.
  const slots = new Set([...resend.delivered.keys()].map((key) => key.replace(/-\d+$/, '')));
  expect(resend.delivered.size).toBe(RUN_EMAILS);
  expect(slots.size).toBe(RUN_EMAILS);
  expect(resend.resent).toEqual([]);
  // The run's e-mails went out in batches, the crash landing among them.
  expect(resend.requests.filter((r) => r.path === '/emails/batch').length).toBeGreaterThan(0);
  const letterFiles = await lettersOfRun(db.sql, runId);
  expect(letterFiles).toHaveLength(RUN_LETTERS);
  expect((await mergePdfs(letterFiles.map((l) => l.content))).pages).toBe(letterFiles.reduce((n, l) => n + l.pages, 0));
  await resend.close();
}, 400_000);

/** The workflow a schedule's trigger started, once it has finished. */
async function triggeredRun(client: Client, scheduleId: string) {
  const schedule = client.schedule.getHandle(scheduleId);
  await schedule.trigger();
  const action = await vi.waitFor(async () => {
    const recent = (await schedule.describe()).info.recentActions.at(-1);
    if (!recent) throw new Error(`${scheduleId} has not started its workflow yet`);
    return recent.action;
  }, { timeout: 30_000, interval: 250 });
  const handle = client.workflow.getHandle(action.workflow.workflowId);
  return { handle, result: await handle.result() };
}

it('schedules the daily review pass in Temporal at the review hour, and a triggered pass lists the day', async () => {
  startWorker();
  const client = new Client({ connection: server.connection });
  const schedule = client.schedule.getHandle(REVIEW_SCHEDULE_ID);
  const description = await vi.waitFor(() => schedule.describe(), { timeout: 30_000, interval: 500 });
  expect(description.spec.calendars?.[0]).toMatchObject({ hour: [{ start: 7, end: 7, step: 1 }] });
  expect(description.spec.timezone).toBe('Europe/Paris');
  expect(description.action).toMatchObject({ type: 'startWorkflow', workflowType: 'dailyReviewPass', taskQueue: 'crash' });
  const { handle } = await triggeredRun(client, REVIEW_SCHEDULE_ID);
  expect(await db.sql`select 1 from review_passes`).toHaveLength(1);
  await recordHistory(handle, 'daily-review-pass');
});

it('schedules the repair pass every few minutes, and a triggered pass starts the workflow of an invoice left without one', async () => {
  const client = new Client({ connection: server.connection });
  const [customer] = await db.sql<{ id: number }[]>`insert into customers (ref, name, emails) values ('REPAIR-1', 'Oubliée SA', array['ap@repair.example']) returning id`;
  const [invoice] = await db.sql<{ id: number }[]>`
    insert into invoices (number, customer_id, issue_date, due_date, currency, total_cents)
    values ('REPAIR-F1', ${customer!.id}, current_date, current_date + 30, 'EUR', 5000) returning id`;
  const { handle, result } = await vi.waitFor(() => triggeredRun(client, REPAIR_SCHEDULE_ID), { timeout: 30_000, interval: 500 });
  expect(result.checked).toBeGreaterThanOrEqual(1);
  expect((await client.workflow.getHandle(dunningWorkflowId(invoice!.id)).describe()).status.name).toBe('RUNNING');
  expect(await db.sql`select distinct actor from follow_up_events where invoice_id = ${invoice!.id} and kind = 'dunning_repaired'`).toEqual([{ actor: 'repair pass' }]);
  await recordHistory(handle, 'dunning-repair-pass');
});
