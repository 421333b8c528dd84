import { WorkflowExecutionAlreadyStartedError, type Client } from '@temporalio/client';
import type { Sql } from '../db/client.js';
import { bulkRun } from '../workflows/bulk-run.js';
import { bulkRunWorkflowId } from '../workflows/ids.js';
import { bulkRunIdKey } from '../workflows/search-attributes.js';

/**
 * Starts a run's workflow unless it was ever started: the id is the run's and a closed workflow's
 * id is never reused, so a second start of the same run (a retried post, a recovery) does nothing.
 */
export async function startBulkRunOnce(temporal: Client, taskQueue: string, runId: number): Promise<void> {
  try {
    await temporal.workflow.start(bulkRun, {
      workflowId: bulkRunWorkflowId(runId), taskQueue, args: [{ runId }], workflowIdReusePolicy: 'REJECT_DUPLICATE',
      typedSearchAttributes: [{ key: bulkRunIdKey, value: runId }],
    });
  } catch (err) {
    if (!(err instanceof WorkflowExecutionAlreadyStartedError)) throw err;
  }
}

/** Runs written but never started (the web server died in between) are started when a worker comes up. */
export async function resumeUnstartedBulkRuns(temporal: Client, taskQueue: string, sql: Sql): Promise<number> {
  const runs = await sql<{ id: number }[]>`select id from bulk_runs where finished_at is null order by id`;
  for (const run of runs) await startBulkRunOnce(temporal, taskQueue, run.id);
  return runs.length;
}
