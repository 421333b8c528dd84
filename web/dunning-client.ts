import { WorkflowIdConflictPolicy, WorkflowIdReusePolicy, type Client } from '@temporalio/client';
import { dunningWorkflowId } from '../workflows/ids.js';
import { invoiceDunning } from '../workflows/invoice-dunning.js';
import { invoiceChangedSignal } from '../workflows/messages.js';
import { inLanes } from '../workflows/in-lanes.js';
import { customerIdKey, invoiceNumberKey } from '../workflows/search-attributes.js';

export { dunningWorkflowId } from '../workflows/ids.js';

type InvoiceRef = { id: number; number: string; customerRef: string };

/** What every start of an invoice's workflow carries: its id, input and search attributes. */
function startOptions(taskQueue: string, invoice: InvoiceRef) {
  return {
    workflowId: dunningWorkflowId(invoice.id),
    taskQueue,
    args: [{ invoiceId: invoice.id }] as [{ invoiceId: number }],
    typedSearchAttributes: [
      { key: invoiceNumberKey, value: invoice.number },
      { key: customerIdKey, value: invoice.customerRef },
    ],
  };
}

/**
 * Starts the invoice's dunning workflow, or wakes the running one to reload its invoice.
 * Signal-with-start makes this safe to call on every upsert.
 */
export async function startOrWakeDunning(
  client: Client,
  taskQueue: string,
  invoice: InvoiceRef,
): Promise<void> {
  await client.workflow.signalWithStart(invoiceDunning, {
    ...startOptions(taskQueue, invoice),
    signal: invoiceChangedSignal,
    signalArgs: [],
    workflowIdReusePolicy: WorkflowIdReusePolicy.ALLOW_DUPLICATE,
  });
}

/**
 * Makes sure every open invoice has a running workflow, without disturbing running ones: catches
 * invoices written while Temporal was unreachable, and workflows an operator terminated by mistake.
 */
export async function ensureDunningWorkflows(
  client: Client,
  taskQueue: string,
  invoices: InvoiceRef[],
  options: { eager?: boolean } = {},
): Promise<void> {
  await inLanes(invoices, async (invoice) => {
    await client.workflow.start(invoiceDunning, {
      ...startOptions(taskQueue, invoice),
      workflowIdConflictPolicy: WorkflowIdConflictPolicy.USE_EXISTING,
      workflowIdReusePolicy: WorkflowIdReusePolicy.ALLOW_DUPLICATE_FAILED_ONLY,
      requestEagerStart: options.eager ?? false,
    }).catch((err: Error) => {
      if (err.name !== 'WorkflowExecutionAlreadyStartedError') throw err;
    });
  });
}
