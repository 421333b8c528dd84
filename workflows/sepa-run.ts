import { ActivityFailure, ApplicationFailure, CancellationScope, getExternalWorkflowHandle, isCancellation, patched, proxyActivities, workflowInfo } from '@temporalio/workflow';
import type { createSepaActivities } from '../activities/sepa-runs.js';
import { dunningWorkflowId } from './ids.js';
import { invoiceChangedSignal } from './messages.js';
import { RUN_STEP_RETRY } from './retry-policies.js';

const activities = proxyActivities<ReturnType<typeof createSepaActivities>>({
  startToCloseTimeout: '5 minutes',
  heartbeatTimeout: '1 minute',
  retry: RUN_STEP_RETRY,
});

/**
 * A SEPA collection run: the pain.008 file of the bank's items is built, zipped and stored, the
 * Stripe customers are debited off-session, then each invoice's workflow is told, so its dunning
 * waits for the outcome. Cancelled (from the run's page or in Temporal), what was not yet sent is
 * released and chased again.
 */
export async function sepaRun(input: { runId: number }): Promise<{ invoices: number }> {
  try {
    return await collect(input.runId);
  } catch (err) {
    if (!isCancellation(err) || !patched('sepa-run-cancellable')) throw err;
    await CancellationScope.nonCancellable(async () => wake(await activities.cancelSepaRun({ runId: input.runId, actor: 'operator (Temporal)' })));
    throw err;
  }
}

async function collect(runId: number): Promise<{ invoices: number }> {
  let inFile: number[];
  try {
    inFile = await activities.generateSepaFile({ runId, createdAt: new Date(workflowInfo().startTime).toISOString() });
  } catch (err) {
    // A file that cannot be built fails the run with its reason; its invoices go back to being chased.
    if (!(err instanceof ActivityFailure) || !(err.cause instanceof ApplicationFailure) || !err.cause.nonRetryable || !patched('sepa-run-fails-visibly')) throw err;
    const released = await activities.failSepaRun({ runId, reason: err.cause.message });
    await wake(released);
    return { invoices: 0 };
  }
  const invoiceIds = [...inFile, ...(await activities.collectWithStripe({ runId }))];
  await wake(invoiceIds);
  return { invoices: invoiceIds.length };
}

/** Each invoice's workflow reloads its facts: the collection went out, or it was released. */
async function wake(invoiceIds: number[]): Promise<void> {
  await Promise.all(invoiceIds.map((id) => getExternalWorkflowHandle(dunningWorkflowId(id)).signal(invoiceChangedSignal).catch(() => undefined)));
}
