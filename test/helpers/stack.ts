import { Client } from '@temporalio/client';
import { inject } from 'vitest';
import { createStripeConnect } from '../../services/stripe/stripe-client.js';
import type { Sql } from '../../db/client.js';
import type { WorkerOptions } from '@temporalio/worker';
import type { Mailer } from '../../services/mail/mailer.js';
import { createOutboxMailer } from '../../services/mail/outbox-mailer.js';
import { createApp } from '../../web/app.js';
import { createWorker } from '../../worker/create-worker.js';
import { ORIGIN, signIn } from './admin-session.js';
import { freshDatabase } from './database.js';
import { testPdfRenderer } from './pdf.js';
import { timeSkippingEnvironment, workflowBundle } from './temporal.js';

export const API_TOKEN = 'x'.repeat(32);

/** Stripe clients that talk to the run's stripe-mock. */
export const testStripeConnect = () => createStripeConnect(inject('stripeMockUrl'));

/** A 500's cause goes to the test's output: a failure on a loaded CI machine can then be read, not guessed. */
const logUnexpected = (err: unknown) => console.error('[web] unexpected error', err);

/** The web app as the tests drive it: the test origin, the shared API token, stripe-mock. */
export function testApp(sql: Sql, temporal: Client, taskQueue: string, extra: Partial<Parameters<typeof createApp>[0]> = {}) {
  return createApp({
    sql, publicUrl: ORIGIN, trustProxy: 0, temporal, taskQueue, apiToken: API_TOKEN, temporalUiUrl: 'http://ui.test', namespace: 'default', stripe: testStripeConnect(), log: logUnexpected, ...extra,
  });
}

/** The web app on a time-skipping Temporal and a fresh database, with a finance user signed in; no worker. */
export async function signedInApp(taskQueue: string) {
  const [env, db] = await Promise.all([timeSkippingEnvironment(), freshDatabase()]);
  const app = testApp(db.sql, env.client, taskQueue);
  return { env, db, app, session: await signIn(app, db.sql), stop: async () => Promise.all([db.drop(), env.teardown()]) };
}

/**
 * The real parts a test file drives: a time-skipping Temporal, a fresh database, Chromium for the
 * PDFs, a worker over them sending to the outbox, and the web app on the same client.
 */
export async function startStack(taskQueue: string, options: {
    publicUrl?: string; tuning?: Partial<WorkerOptions>; timeSkippingClient?: boolean;
    /** Wraps the outbox the worker sends to (to hold sends at a chosen moment). */
    mailer?: (outbox: Mailer) => Mailer;
  } = {},
) {
  const [env, bundle, db] = await Promise.all([timeSkippingEnvironment(), workflowBundle(), freshDatabase()]);
  const pdf = testPdfRenderer();
  // A plain client by default: through the time-skipping one, awaiting a result lets the server jump to future timers.
  const client = options.timeSkippingClient ? env.client : new Client({ connection: env.connection });
  const deps = { sql: db.sql, mailer: (options.mailer ?? ((outbox) => outbox))(createOutboxMailer(db.sql)), defaultFrom: 'Relance <r@test.example>', pdf, temporal: client, stripe: testStripeConnect(), publicUrl: options.publicUrl ?? ORIGIN };
  const workerOn = (queue: string) => createWorker({ connection: env.nativeConnection, namespace: 'default', taskQueue: queue, workflowBundle: bundle, tuning: options.tuning, deps });
  const worker = await workerOn(taskQueue);
  const running = worker.run();
  const app = testApp(db.sql, client, taskQueue, options.publicUrl ? { publicUrl: options.publicUrl } : {});
  return {
    env, db, client, app,
    /** A second worker, for a workflow started where none polled (to act on it before it runs). */
    workerOn,
    async stop() {
      await pdf.close();
      worker.shutdown();
      await running;
      await env.teardown();
      await db.drop();
    },
  };
}

export type Stack = Awaited<ReturnType<typeof startStack>>;
