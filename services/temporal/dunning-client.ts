import { isGrpcDeadlineError, isGrpcServiceError, ServiceError, WorkflowIdConflictPolicy, WorkflowIdReusePolicy, type Client } from '@temporalio/client';
import { dunningWorkflowId } from '../../workflows/ids.js';
import { INVOICE_DUNNING_CODE_VERSION, invoiceDunning, type InvoiceDunningInput } from '../../workflows/invoice-dunning.js';
import { invoiceChangedSignal } from '../../workflows/messages.js';
import { eachConcurrently } from '../../workflows/each-concurrently.js';
import { customerIdKey, invoiceNumberKey } from '../../workflows/search-attributes.js';

export { dunningWorkflowId } from '../../workflows/ids.js';

type InvoiceRef = { id: number; number: string; customerRef: string };

/** What every start of an invoice's workflow carries: its id, input and search attributes. */
function startOptions(taskQueue: string, invoice: InvoiceRef) {
  return {
    workflowId: dunningWorkflowId(invoice.id),
    taskQueue,
    args: [{ invoiceId: invoice.id, codeVersion: INVOICE_DUNNING_CODE_VERSION }] as [InvoiceDunningInput],
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
 * Starts the workflows of these invoices where none is running (or, with `neverStartedOnly`, where
 * none ever ran), without disturbing running ones; returns the invoices whose workflow this call
 * started (one started meanwhile by another caller, an API write say, is not among them).
 */
export async function ensureDunningWorkflows<I extends InvoiceRef>(
  client: Client,
  taskQueue: string,
  invoices: I[],
  options: { eager?: boolean; neverStartedOnly?: boolean } = {},
): Promise<I[]> {
  const started: I[] = [];
  await eachConcurrently(invoices, async (invoice) => {
    try {
      await client.workflow.start(invoiceDunning, {
        ...startOptions(taskQueue, invoice),
        // A running workflow is refused rather than reused, so the answer says who started it.
        workflowIdConflictPolicy: WorkflowIdConflictPolicy.FAIL,
        // Which closed workflows may be followed by a new one is the repair pass's decision (an operator's stop is not):
        // `neverStartedOnly` refuses an invoice that had one, for the pass to look at it first.
        workflowIdReusePolicy: options.neverStartedOnly ? WorkflowIdReusePolicy.REJECT_DUPLICATE : WorkflowIdReusePolicy.ALLOW_DUPLICATE,
        requestEagerStart: options.eager ?? false,
      });
      started.push(invoice);
    } catch (err) {
      if ((err as Error).name !== 'WorkflowExecutionAlreadyStartedError') throw err;
    }
  });
  return started;
}

/** How long a page or an API call waits for the workflow engine before saying it is unreachable. */
const ENGINE_DEADLINE_MS = 3_000;

/** A call to the workflow engine that gives up after a few seconds, so pages and the API answer fast during an outage. */
export function withinDeadline<R>(client: Client, fn: () => Promise<R>): Promise<R> {
  return client.withDeadline(Date.now() + ENGINE_DEADLINE_MS, fn);
}

// gRPC's UNAVAILABLE: the server cannot be reached at all.
const GRPC_UNAVAILABLE = 14;

/** The engine could not be reached (down, or too slow to answer within the deadline). */
export function isEngineUnreachable(err: unknown): boolean {
  return isGrpcDeadlineError(err) || isEngineDown(err);
}

/** The server cannot be reached at all (as opposed to a worker too slow to answer). */
export function isEngineDown(err: unknown): boolean {
  const cause = err instanceof ServiceError ? err.cause : err;
  return isGrpcServiceError(cause) && cause.code === GRPC_UNAVAILABLE;
}

/**
 * Starts or wakes the invoice's workflow within the deadline. Unreachable, the invoice stays saved
 * and the repair pass starts its workflow once the engine is back: false says so to the caller.
 */
export function startOrWakeDunningSoon(client: Client, taskQueue: string, invoice: InvoiceRef): Promise<boolean> {
  return reachedWithinDeadline(client, () => startOrWakeDunning(client, taskQueue, invoice));
}

/** Carries out calls to the engine within the deadline: false when it could not be reached, other errors thrown. */
export async function reachedWithinDeadline(client: Client, fn: () => Promise<unknown>): Promise<boolean> {
  try {
    await withinDeadline(client, fn);
    return true;
  } catch (err) {
    if (isEngineUnreachable(err)) return false;
    throw err;
  }
}
