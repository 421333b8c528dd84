import { WorkflowIdReusePolicy, type Client } from '@temporalio/client';
import { invoiceDunning } from '../workflows/invoice-dunning.js';
import { invoiceChangedSignal } from '../workflows/messages.js';
import { customerIdKey, invoiceNumberKey } from '../workflows/search-attributes.js';

export const dunningWorkflowId = (invoiceId: number) => `invoice-${invoiceId}`;

/**
 * Starts the invoice's dunning workflow, or wakes the running one to reload its invoice.
 * Signal-with-start makes this safe to call on every upsert.
 */
export async function startOrWakeDunning(
  client: Client,
  taskQueue: string,
  invoice: { id: number; number: string; customerRef: string },
): Promise<void> {
  await client.workflow.signalWithStart(invoiceDunning, {
    workflowId: dunningWorkflowId(invoice.id),
    taskQueue,
    args: [{ invoiceId: invoice.id }],
    signal: invoiceChangedSignal,
    signalArgs: [],
    workflowIdReusePolicy: WorkflowIdReusePolicy.ALLOW_DUPLICATE,
    typedSearchAttributes: [
      { key: invoiceNumberKey, value: invoice.number },
      { key: customerIdKey, value: invoice.customerRef },
    ],
  });
}
