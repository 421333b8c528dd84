import { Client } from '@temporalio/client';
import { repairDunningWorkflows } from '../activities/dunning-repair.js';
import { resumeUnstartedRuns } from '../services/temporal/run-client.js';
import { loadConfig } from '../platform/config.js';
import { createSql } from '../db/client.js';
import { createMailer } from '../services/mail/create-mailer.js';
import { createPdfRenderer } from '../services/pdf/pdf-renderer.js';
import { createStripeConnect } from '../services/stripe/stripe-client.js';
import { createLogger } from '../platform/logger.js';
import { createWorker, installQuietRuntime } from './create-worker.js';
import { connectWorker } from '../platform/temporal-connection.js';
import { getSettings } from '../db/queries/settings.js';
import { ensureRepairSchedule, ensureReviewSchedule, ensureSnapshotSchedule, REPAIR_SCHEDULE_ID, REVIEW_SCHEDULE_ID, SNAPSHOT_SCHEDULE_ID } from '../services/temporal/schedules.js';

async function main(): Promise<void> {
  const config = loadConfig();
  const log = createLogger(config.logLevel, 'worker');
  installQuietRuntime();
  if (!config.database.url) throw new Error('DATABASE_URL is required to run the worker on its own (npm start sets it for you)');
  const sql = createSql(config.database.url, { genericPlans: true });
  const connection = await connectWorker(config.temporal);
  const mailer = createMailer(config.mail, sql);
  const pdf = createPdfRenderer({ executablePath: config.chromiumPath });
  // A client on the worker's own connection: bulk runs ask invoice workflows through it, and it
  // starts missing workflows eagerly (the server hands their first task straight back here).
  const client = new Client({ connection, namespace: config.temporal.namespace });
  const worker = await createWorker({
    connection,
    namespace: config.temporal.namespace,
    taskQueue: config.temporal.taskQueue,
    deps: { sql, mailer, pdf, temporal: client, defaultFrom: config.mail.from, stripe: createStripeConnect(config.stripe.apiUrl), publicUrl: config.web.publicUrl, sendsPerSecond: config.mail.sendsPerSecond },
    workflowBundle: config.temporal.workflowBundle ? { codePath: config.temporal.workflowBundle } : undefined,
    tuning: { maxCachedWorkflows: config.temporal.maxCachedWorkflows },
  });
  log.info({ taskQueue: config.temporal.taskQueue, mail: mailer.kind }, 'worker started');
  // SIGINT/SIGTERM make the SDK drain and stop the worker; then the connections close, in that order.
  const running = worker.run();
  ensureReviewSchedule(client, config.temporal.taskQueue, await getSettings(sql))
    .then(() => log.info({ scheduleId: REVIEW_SCHEDULE_ID }, 'daily review pass scheduled'))
    .catch((err) => log.error({ err }, 'could not schedule the daily review pass'));
  resumeUnstartedRuns(client, config.temporal.taskQueue, sql)
    .catch((err) => log.error({ err }, 'could not check the bulk and SEPA runs'));
  // At once on start, then every few minutes: invoices written while Temporal was unreachable get their workflow.
  repairDunningWorkflows({ sql, temporal: client, taskQueue: config.temporal.taskQueue, eager: true })
    .then((report) => log.info(report, 'every open invoice has its dunning workflow, unless an operator stopped it'))
    .catch((err) => log.error({ err }, 'could not check the dunning workflows'));
  ensureRepairSchedule(client, config.temporal.taskQueue)
    .then(() => log.info({ scheduleId: REPAIR_SCHEDULE_ID }, 'repair pass scheduled'))
    .catch((err) => log.error({ err }, 'could not schedule the repair pass'));
  ensureSnapshotSchedule(client, config.temporal.taskQueue, await getSettings(sql))
    .then(() => log.info({ scheduleId: SNAPSHOT_SCHEDULE_ID }, 'daily collection snapshot scheduled'))
    .catch((err) => log.error({ err }, 'could not schedule the collection snapshot'));
  await running;
  await pdf.close();
  await connection.close();
  await sql.end({ timeout: 5 });
  log.info('worker stopped');
}

main().catch((err) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
