import { DefaultLogger, NativeConnection, Runtime, Worker, type WorkerOptions } from '@temporalio/worker';
import { fileURLToPath } from 'node:url';
import { createActivities, type ActivityDeps } from '../activities/index.js';
import { emailTaskQueue } from '../workflows/ids.js';

export const workflowsPath = fileURLToPath(new URL('../workflows/index.ts', import.meta.url));

/**
 * The workflow poller's tuning (the engine-floor benchmark runs its trivial workflow under the same).
 * A workflow started eagerly gets its first task straight back from the start call, but only while
 * the worker has a free slot: with SDK's default of 40, most starts of a big backlog fall back to the
 * task queue, which costs the server three more writes and a history read each.
 */
export const WORKFLOW_TASK_TUNING = { maxConcurrentWorkflowTaskExecutions: 200 } satisfies Partial<WorkerOptions>;

/**
 * The SDK's own chatter (bundler statistics, poller states) only when something is wrong. The
 * core's "workflow task took over 5 seconds" warnings are expected on a busy two-core machine
 * (a first start loads hundreds of workflows at once): only its errors are printed.
 */
export function installQuietRuntime(): void {
  Runtime.install({ logger: new DefaultLogger('WARN'), telemetryOptions: { logging: { filter: { core: 'ERROR', other: 'WARN' }, forward: {} } } });
}

/** The two pollers of one worker process, run and stopped together. */
export interface RelanceWorker {
  run(): Promise<void>;
  shutdown(): void;
  /** Runs until `until` settles, then stops and waits for both pollers to drain. */
  runUntil<R>(until: Promise<R> | (() => Promise<R>)): Promise<R>;
}

/**
 * A worker for the dunning workflows and their activities, over the dependencies it is given; the
 * reminders themselves are sent from a second task queue whose rate limit, set by the server, holds
 * across every worker: the e-mail provider's ceiling.
 */
export async function createWorker(options: {
  connection: NativeConnection;
  namespace: string;
  taskQueue: string;
  deps: ActivityDeps;
  workflowBundle?: WorkerOptions['workflowBundle'];
  tuning?: Partial<WorkerOptions>;
}): Promise<RelanceWorker> {
  const activities = createActivities(options.deps);
  const workers = await Promise.all([
    Worker.create({
      connection: options.connection,
      namespace: options.namespace,
      taskQueue: options.taskQueue,
      ...(options.workflowBundle ? { workflowBundle: options.workflowBundle } : { workflowsPath }),
      activities,
      ...WORKFLOW_TASK_TUNING,
      ...options.tuning,
    }),
    Worker.create({
      connection: options.connection,
      namespace: options.namespace,
      taskQueue: emailTaskQueue(options.taskQueue),
      activities: { performReminder: activities.performReminder, performReminderThenFacts: activities.performReminderThenFacts, answerAsk: activities.answerAsk, sendStatement: activities.sendStatement },
      ...(options.deps.sendsPerSecond ? { maxTaskQueueActivitiesPerSecond: options.deps.sendsPerSecond } : {}),
    }),
  ]);
  return {
    run: async () => {
      await Promise.all(workers.map((w) => w.run()));
    },
    shutdown: () => workers.forEach((w) => w.shutdown()),
    async runUntil(until) {
      const running = Promise.all(workers.map((w) => w.run()));
      try {
        return await Promise.race([typeof until === 'function' ? until() : until, running.then(() => Promise.reject(new Error('the worker stopped first')))]);
      } finally {
        workers.forEach((w) => w.shutdown());
        await running;
      }
    },
  };
}
