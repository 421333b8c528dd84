import { NativeConnection, Worker, type WorkerOptions } from '@temporalio/worker';
import { fileURLToPath } from 'node:url';
import { createActivities, type ActivityDeps } from '../activities/index.js';
import { emailTaskQueue } from '../workflows/ids.js';

export const workflowsPath = fileURLToPath(new URL('../workflows/index.ts', import.meta.url));

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
  /** Reminders sent per second at most, all workers together; unset, no ceiling. */
  sendsPerSecond?: number;
}): Promise<RelanceWorker> {
  const activities = createActivities(options.deps);
  const workers = await Promise.all([
    Worker.create({
      connection: options.connection,
      namespace: options.namespace,
      taskQueue: options.taskQueue,
      ...(options.workflowBundle ? { workflowBundle: options.workflowBundle } : { workflowsPath }),
      activities,
      ...options.tuning,
    }),
    Worker.create({
      connection: options.connection,
      namespace: options.namespace,
      taskQueue: emailTaskQueue(options.taskQueue),
      activities: { performReminder: activities.performReminder, sendStatement: activities.sendStatement },
      ...(options.sendsPerSecond ? { maxTaskQueueActivitiesPerSecond: options.sendsPerSecond } : {}),
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
