import { spawn } from 'node:child_process';
import { createBulkRun } from '../db/queries/bulk-runs.js';
import { startResendServer } from '../test/helpers/resend-server.js';
import { childEnvironment } from '../platform/config.js';
import { bulkRun } from '../workflows/bulk-run.js';
import { bulkRunWorkflowId } from '../workflows/ids.js';
import { benchDatabase } from './database.js';
import { stopChild } from './processes.js';
import { statementCounter } from './statements.js';
import { terminateRunning } from './terminate.js';
import type { PlanningOptions } from './workflows.js';

/** The same as a planning measurement's: the bench's database and server, the bundle, how many, under which prefix. */
export type BulkRunOptions = PlanningOptions;

export interface BulkRunFigures {
  seconds: number;
  sent: number;
  distinct: number;
  twice: number;
  requests: number;
  batches: number;
  perBatch: number;
  /** Statements the database ran for the run, per reminder sent; null without pg_stat_statements. */
  statementsPerReminder: number | null;
  topStatements: { calls: number; query: string }[];
}

/** A bulk run of e-mail reminders end to end: the run, each invoice's workflow, rendering, the Resend API, the records. */
export async function measureBulkRun(opts: BulkRunOptions): Promise<BulkRunFigures> {
  const { invoices, prefix } = opts;
  const taskQueue = `${prefix.toLowerCase()}-run`;
  const { sql, url, drop } = await benchDatabase(opts.adminUrl, `bench_bulk_run_${prefix.toLowerCase()}`);
  // The e-mail ceiling lifted: a local server speaking Resend's API answers at once.
  const resend = await startResendServer();
  try {
    await sql`insert into customers (ref, name, emails, language)
      select ${prefix} || '-' || g, 'Run customer ' || g, array['ap' || g || '@bench.example'], 'fr' from generate_series(1, 1000) g`;
    await sql`insert into invoices (number, customer_id, issue_date, due_date, currency, total_cents)
      select ${prefix} || 'B-' || g, (select id from customers where ref = ${prefix} || '-' || (1 + g % 1000)), current_date, current_date + 30, 'EUR', 10000 + g
      from generate_series(1, ${invoices}) g`;
    const worker = spawn(process.execPath, ['--import', 'tsx', 'worker/main.ts'], {
      stdio: ['ignore', 'ignore', 'inherit'],
      env: childEnvironment({
        DATABASE_URL: url, TEMPORAL_ADDRESS: opts.temporalAddress, TEMPORAL_TASK_QUEUE: taskQueue, API_TOKEN: 'b'.repeat(32), LOG_LEVEL: 'warn',
        WORKFLOW_BUNDLE: opts.bundle, RESEND_API_KEY: resend.apiKey, RESEND_BASE_URL: resend.baseUrl,
      }),
    });
    try {
      for (let planned = 0; planned < invoices; ) {
        await new Promise((r) => setTimeout(r, 2000));
        planned = (await opts.client.workflow.count(`InvoiceNumber STARTS_WITH "${prefix}B-" AND DunningStatus = "scheduled"`)).count;
        console.log(`run bench: ${planned}/${invoices} invoice workflows waiting`);
      }
      const ids = (await sql<{ id: number }[]>`select id from invoices order by id`).map((r) => r.id);
      const [user] = await sql<{ id: number }[]>`insert into users (email, name, role, password_hash) values ('bench@run.test', 'Bench', 'admin', 'x') returning id`;
      // The invoices are due in the coming weeks: the run sends each one's next level now, as a user choosing "send early" would.
      const runId = await createBulkRun(sql, { userId: user!.id, forcedLevel: null, sendEarly: true, channel: 'email', attachPdf: false, invoiceIds: ids });
      const statements = await statementCounter(sql);
      const started = Date.now();
      await opts.client.workflow.start(bulkRun, { workflowId: bulkRunWorkflowId(runId), taskQueue, args: [{ runId }] });
      await opts.client.workflow.getHandle(bulkRunWorkflowId(runId)).result();
      const seconds = (Date.now() - started) / 1000;
      const counted = await statements.since();
      const [sent] = await sql<{ n: number }[]>`select count(*)::int as n from bulk_run_items where run_id = ${runId} and outcome = 'sent'`;
      const batches = resend.requests.filter((r) => r.path === '/emails/batch' && r.status === 200);
      return {
        seconds, sent: sent!.n, distinct: resend.delivered.size, twice: resend.resent.length, requests: resend.requests.length, batches: batches.length,
        perBatch: batches.reduce((n, b) => n + (b.body as unknown[]).length, 0) / Math.max(1, batches.length),
        statementsPerReminder: counted ? counted.total / Math.max(1, sent!.n) : null, topStatements: counted?.top ?? [],
      };
    } finally {
      await stopChild(worker);
      await terminateRunning(opts.client, `InvoiceNumber STARTS_WITH "${prefix}B-"`);
    }
  } finally {
    await resend.close();
    await drop();
  }
}

export async function benchBulkRun(opts: Omit<BulkRunOptions, 'prefix'>): Promise<string> {
  const { invoices } = opts;
  const r = await measureBulkRun({ ...opts, prefix: 'R' });
  return `## Bulk run of e-mail reminders (issue 4)

${invoices.toLocaleString('en')} open invoices, each with its workflow waiting; one bulk run asks every one of them for its next
reminder by e-mail. The e-mail ceiling is lifted: a local server speaking Resend's API answers at once.

| measure | result | target |
| --- | --- | --- |
| reminders sent (rendered, sent through the Resend SDK's batch endpoint, recorded) | ${r.sent.toLocaleString('en')} of ${invoices.toLocaleString('en')}, ${r.distinct.toLocaleString('en')} distinct at the server, ${r.twice} twice | all, once |
| requests to Resend | ${r.requests.toLocaleString('en')}: ${r.batches.toLocaleString('en')} batches of ${r.perBatch.toFixed(1)} e-mails on average, the rest alone | fewer than e-mails |
| end to end | ${r.seconds.toFixed(1)} s, ${(r.sent / r.seconds).toFixed(1)} per second | 100 or more per second |
`;
}
