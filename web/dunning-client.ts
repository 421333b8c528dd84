import { WorkflowIdConflictPolicy, WorkflowIdReusePolicy, type Client } from '@temporalio/client';
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

/**
 * Makes sure every open invoice has a running workflow, without disturbing running ones: catches
 * invoices written while Temporal was unreachable, and workflows an operator terminated by mistake.
 */
export async function ensureDunningWorkflows(
  client: Client,
  taskQueue: string,
  invoices: { id: number; number: string; customerRef: string }[],
  options: { concurrency?: number; onProgress?: (done: number) => void } = {},
): Promise<void> {
  let next = 0;
  let done = 0;
  const lane = async () => {
    while (next < invoices.length) {
      const invoice = invoices[next++]!;
      await client.workflow.start(invoiceDunning, {
        workflowId: dunningWorkflowId(invoice.id),
        taskQueue,
        args: [{ invoiceId: invoice.id }],
        workflowIdConflictPolicy: WorkflowIdConflictPolicy.USE_EXISTING,
        workflowIdReusePolicy: WorkflowIdReusePolicy.ALLOW_DUPLICATE_FAILED_ONLY,
        typedSearchAttributes: [
          { key: invoiceNumberKey, value: invoice.number },
          { key: customerIdKey, value: invoice.customerRef },
        ],
      }).catch((err: Error) => {
        if (err.name !== 'WorkflowExecutionAlreadyStartedError') throw err;
      });
      options.onProgress?.(++done);
    }
  };
  await Promise.all(Array.from({ length: options.concurrency ?? 32 }, lane));
}
