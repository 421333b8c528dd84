import { getExternalWorkflowHandle, proxyActivities, workflowInfo } from '@temporalio/workflow';
import type { createSepaActivities } from '../activities/sepa-runs.js';
import { dunningWorkflowId } from './ids.js';
import { invoiceChangedSignal } from './messages.js';

const acts = proxyActivities<ReturnType<typeof createSepaActivities>>({
  startToCloseTimeout: '5 minutes',
  heartbeatTimeout: '1 minute',
  retry: { initialInterval: '2 seconds', maximumInterval: '1 minute' },
});

/**
 * A SEPA collection run: the pain.008 file of the bank's items is built, zipped and stored, the
 * Stripe customers are debited off-session, then each invoice's workflow is told, so its dunning
 * waits for the outcome.
 */
export async function sepaRun(input: { runId: number }): Promise<{ invoices: number }> {
  const inFile = await acts.generateSepaFile({ runId: input.runId, createdAt: new Date(workflowInfo().startTime).toISOString() });
  const invoiceIds = [...inFile, ...(await acts.collectWithStripe({ runId: input.runId }))];
  await Promise.all(
    invoiceIds.map((id) => getExternalWorkflowHandle(dunningWorkflowId(id)).signal(invoiceChangedSignal).catch(() => undefined)),
  );
  return { invoices: invoiceIds.length };
}
