import { CancellationScope, continueAsNew, isCancellation, patched, proxyActivities, upsertSearchAttributes, workflowInfo } from '@temporalio/workflow';
import type { createBulkRunActivities } from '../activities/bulk-runs.js';
import { eachConcurrently } from './each-concurrently.js';
import { bulkRunIdKey, dunningStatusKey, runProgressKey } from './search-attributes.js';
import { RUN_STEP_RETRY } from './retry-policies.js';

const activities = proxyActivities<ReturnType<typeof createBulkRunActivities>>({
  // A slice waits for its invoices' reminders (e-mails, or letters rendered to PDF) and beats while
  // it waits, so a slice lost with a crashed worker is retried within seconds.
  startToCloseTimeout: '1 hour',
  heartbeatTimeout: '15 seconds',
  retry: RUN_STEP_RETRY,
});

// Four slices of 50 at a time, 16 asks at once in each: 64 invoices asked at once.
const SLICE = 50;
const SLICES_AT_ONCE = 4;
const ASKS_PER_SLICE = 16;
// A slice is a handful of events: continuing every 100 slices (5,000 invoices) keeps histories short.
const SLICES_BEFORE_CONTINUE = 100;

export interface BulkRunInput {
  runId: number;
  /** Position of the last item already asked (continue-as-new carries on from there). */
  after?: number;
  done?: number;
}

/**
 * A bulk run from the mass follow-up (sources 000, 002, 003): asks each selected invoice's own
 * workflow to perform its next (or the forced) level, and records every answer for the progress
 * bar. It never touches a level itself.
 */
export async function bulkRun(input: BulkRunInput): Promise<{ done: number }> {
  const { runId } = input;
  let done = input.done ?? 0;
  let after = input.after ?? 0;
  const publish = (status: string) =>
    upsertSearchAttributes([
      { key: bulkRunIdKey, value: runId },
      { key: runProgressKey, value: done },
      { key: dunningStatusKey, value: status },
    ]);

  try {
    const { lastPosition, ...request } = await activities.loadRun(runId);
    publish('running');
    if (patched('asks-in-slices')) {
      const slices: number[] = [];
      for (let from = after; from < lastPosition && slices.length < SLICES_BEFORE_CONTINUE; from += SLICE) slices.push(from);
      await eachConcurrently(slices, async (from) => {
        done += await activities.askInvoices({ runId, ...request, after: from, upTo: from + SLICE, lanes: ASKS_PER_SLICE });
      }, undefined, SLICES_AT_ONCE);
      after = Math.min(lastPosition, after + slices.length * SLICE);
      if (after < lastPosition) await continueAsNew<typeof bulkRun>({ runId, after, done });
    } else {
      // Runs started when every invoice was asked by an activity of its own.
      const CHUNK = 500;
      const items = await activities.runItems({ runId, after, limit: CHUNK });
      await eachConcurrently(items, async (item) => {
        await activities.askInvoice({ runId, invoiceId: item.invoiceId, ...request });
        done++;
      }, undefined, 64);
      after = items.at(-1)?.position ?? after;
      if (items.length === CHUNK || workflowInfo().continueAsNewSuggested) await continueAsNew<typeof bulkRun>({ runId, after, done });
    }
  } catch (err) {
    // Cancelled (from the run's page or in Temporal): the invoices not yet asked are left alone and say so.
    if (!isCancellation(err) || !patched('bulk-run-cancellable')) throw err;
    await CancellationScope.nonCancellable(() => activities.cancelRun(runId));
    publish('cancelled');
    throw err;
  }
  await activities.finishRun(runId);
  publish('finished');
  return { done };
}
