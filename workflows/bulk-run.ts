import { continueAsNew, proxyActivities, upsertSearchAttributes, workflowInfo } from '@temporalio/workflow';
import type { createBulkRunActivities } from '../activities/bulk-runs.js';
import { bulkRunIdKey, dunningStatusKey, runProgressKey } from './search-attributes.js';

const acts = proxyActivities<ReturnType<typeof createBulkRunActivities>>({
  // The ask waits for the invoice's reminder: an e-mail, or a letter rendered to PDF. It beats
  // while it waits, so an ask lost with a crashed worker is retried within seconds.
  startToCloseTimeout: '2 minutes',
  heartbeatTimeout: '15 seconds',
  retry: { initialInterval: '2 seconds', maximumInterval: '1 minute' },
});

// Invoices asked at once; each answer is a few events, so a chunk keeps the history well under its limits.
const CONCURRENCY = 64;
const CHUNK = 500;

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
  const run = await acts.loadRun(runId);
  let done = input.done ?? 0;
  let after = input.after ?? 0;
  const publish = (status: string) =>
    upsertSearchAttributes([
      { key: bulkRunIdKey, value: runId },
      { key: runProgressKey, value: done },
      { key: dunningStatusKey, value: status },
    ]);
  publish('running');

  const items = await acts.runItems({ runId, after, limit: CHUNK });
  let next = 0;
  const lane = async () => {
    while (next < items.length) {
      const item = items[next++]!;
      await acts.askInvoice({ runId, invoiceId: item.invoiceId, forcedLevel: run.forcedLevel, channel: run.channel, attachPdf: run.attachPdf, actor: run.actor });
      done++;
    }
  };
  await Promise.all(Array.from({ length: Math.min(CONCURRENCY, items.length) }, lane));
  after = items.at(-1)?.position ?? after;

  if (items.length === CHUNK || workflowInfo().continueAsNewSuggested) {
    await continueAsNew<typeof bulkRun>({ runId, after, done });
  }
  await acts.finishRun(runId);
  publish('finished');
  return { done };
}
