import { getExternalWorkflowHandle, proxyActivities, workflowInfo } from '@temporalio/workflow';
import type { createSepaActivities } from '../activities/sepa-runs.js';
import { dunningWorkflowId } from './ids.js';
import { invoiceChangedSignal } from './messages.js';

const acts = proxyActivities<ReturnType<typeof createSepaActivities>>({
  startToCloseTimeout: '5 minutes',
  retry: { initialInterval: '2 seconds', maximumInterval: '1 minute' },
});

/**
 * A SEPA collection run: the pain.008 file is built, zipped and stored, then each invoice's
 * workflow is told, so its dunning waits for the bank's outcome.
 */
export async function sepaRun(input: { runId: number }): Promise<{ invoices: number }> {
  const invoiceIds = await acts.generateSepaFile({ runId: input.runId, createdAt: new Date(workflowInfo().startTime).toISOString() });
  await Promise.all(
    invoiceIds.map((id) => getExternalWorkflowHandle(dunningWorkflowId(id)).signal(invoiceChangedSignal).catch(() => undefined)),
  );
  return { invoices: invoiceIds.length };
}
