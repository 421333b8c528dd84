import { WorkflowExecutionAlreadyStartedError, WorkflowNotFoundError, type Client } from '@temporalio/client';
import type { Sql } from '../../db/client.js';
import { unfinishedBulkRunIds } from '../../db/queries/bulk-runs.js';
import { generatingSepaRunIds } from '../../db/queries/sepa-runs.js';
import { bulkRun } from '../../workflows/bulk-run.js';
import { sepaRun } from '../../workflows/sepa-run.js';
import { bulkRunWorkflowId, sepaRunWorkflowId } from '../../workflows/ids.js';
import { bulkRunIdKey } from '../../workflows/search-attributes.js';
import { reachedWithinDeadline } from './dunning-client.js';

/**
 * Starts a run's workflow unless it was ever started: the id is the run's and a closed workflow's
 * id is never reused, so a second start of the same run (a retried post, a recovery) does nothing.
 */
export function startBulkRunOnce(temporal: Client, taskQueue: string, runId: number): Promise<boolean> {
  return startOnce(() =>
    temporal.workflow.start(bulkRun, {
      workflowId: bulkRunWorkflowId(runId), taskQueue, args: [{ runId }], workflowIdReusePolicy: 'REJECT_DUPLICATE',
      typedSearchAttributes: [{ key: bulkRunIdKey, value: runId }],
    }),
  );
}

/** The same for a SEPA run: a run's file is built by one workflow, once. */
export function startSepaRunOnce(temporal: Client, taskQueue: string, runId: number): Promise<boolean> {
  return startOnce(() => temporal.workflow.start(sepaRun, { workflowId: sepaRunWorkflowId(runId), taskQueue, args: [{ runId }], workflowIdReusePolicy: 'REJECT_DUPLICATE' }));
}

/** True when this call started the workflow, false when it had been started before. */
async function startOnce(start: () => Promise<unknown>): Promise<boolean> {
  try {
    await start();
    return true;
  } catch (err) {
    if (!(err instanceof WorkflowExecutionAlreadyStartedError)) throw err;
    return false;
  }
}

/**
 * Starts a run just written from a page, within the engine's deadline. Unreachable, the run stays
 * written and waits: its page says so, and the repair pass starts it once the engine is back.
 */
export function startRunSoon(temporal: Client, taskQueue: string, run: { kind: 'bulk' | 'sepa'; id: number }): Promise<boolean> {
  const start = run.kind === 'bulk' ? startBulkRunOnce : startSepaRunOnce;
  return reachedWithinDeadline(temporal, () => start(temporal, taskQueue, run.id));
}

/**
 * Tells a run's workflow to stop, once its page has written the stop (which the run's activities
 * read, so an engine unreachable now does not undo it). A workflow already gone has nothing to stop.
 */
export async function cancelRunWorkflow(temporal: Client, workflowId: string): Promise<void> {
  await reachedWithinDeadline(temporal, () => temporal.workflow.getHandle(workflowId).cancel()).catch((err: Error) => {
    if (!(err instanceof WorkflowNotFoundError)) throw err;
  });
}

/**
 * Runs written but never started (the web server died in between, or the engine was unreachable)
 * are started by a worker coming up and by the repair pass. A run whose workflow an operator
 * stopped stays stopped: its id is never reused.
 */
/** Returns how many runs it started. */
export async function resumeUnstartedRuns(temporal: Client, taskQueue: string, sql: Sql): Promise<number> {
  const [bulk, sepa] = await Promise.all([unfinishedBulkRunIds(sql), generatingSepaRunIds(sql)]);
  let started = 0;
  for (const id of bulk) if (await startBulkRunOnce(temporal, taskQueue, id)) started++;
  for (const id of sepa) if (await startSepaRunOnce(temporal, taskQueue, id)) started++;
  return started;
}
