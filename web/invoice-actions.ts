import { WorkflowNotFoundError, WorkflowUpdateFailedError, type WorkflowHandle } from '@temporalio/client';
import { recordPayment, type PaymentInput, type PaymentResult } from '../db/queries/payments.js';
import { openInvoiceIdsOfCustomer, setCustomerPaused } from '../db/queries/customers.js';
import { insertEvent } from '../db/queries/events.js';
import { lastLevelUpdate } from '../db/queries/invoices.js';
import { recordManualReminder } from '../db/queries/reminders.js';
import { paymentRecordedSignal } from '../workflows/messages.js';
import { dunningWorkflowId, isEngineUnreachable, withinDeadline } from '../services/temporal/dunning-client.js';
import type { WebDeps } from './deps.js';
import { wakeWorkflows } from '../services/temporal/wake-workflows.js';

export type WorkflowAnswer<T> = { ok: true; value: T } | { ok: false; message: string; unreachable?: true };

/** Asks an invoice's workflow through an update; a refusal comes back as its reason. */
export async function askWorkflow<T>(deps: WebDeps, invoiceId: number, call: (handle: WorkflowHandle) => Promise<T>): Promise<WorkflowAnswer<T>> {
  try {
    const handle = deps.temporal.workflow.getHandle(dunningWorkflowId(invoiceId));
    // A quick look first: during an outage the update itself would wait for the SDK's retries.
    await withinDeadline(deps.temporal, () => handle.describe());
    return { ok: true, value: await call(handle) };
  } catch (err) {
    if (err instanceof WorkflowUpdateFailedError) return { ok: false, message: err.cause?.message ?? err.message };
    if (err instanceof WorkflowNotFoundError) return { ok: false, message: 'dunning is not running for this invoice' };
    if (isEngineUnreachable(err)) return { ok: false, unreachable: true, message: 'the workflow engine is unreachable: nothing was changed, try again in a few minutes' };
    throw err;
  }
}

/**
 * Records a payment, then wakes the workflow, which ends the dunning once the balance is paid. With
 * `answerFirst` (the API, which billing systems call in bursts) the signal goes once the answer is
 * on its way, through the app's courier; a person on a page waits for it, to see the outcome at once.
 */
export async function recordPaymentAndWake(deps: WebDeps, payment: PaymentInput, options: { answerFirst?: boolean } = {}): Promise<PaymentResult> {
  const result = await recordPayment(deps.sql, payment);
  if (!result.duplicate) {
    // The payment is safe in the database; a workflow that is not running has nothing to wake.
    // One the engine cannot reach in time reads the payment before it sends anything, and the
    // repair pass wakes it to end.
    const wake = () => withinDeadline(deps.temporal, () =>
      deps.temporal.workflow.getHandle(dunningWorkflowId(payment.invoiceId)).signal(paymentRecordedSignal, { paymentId: result.paymentId }),
    ).catch(() => undefined);
    if (options.answerFirst && deps.signals) deps.signals.send(wake);
    else await wake();
  }
  return result;
}

/** Pauses or resumes a whole customer: one transaction for the flag and each invoice's timeline, then every workflow is told. */
export async function setCustomerPause(deps: WebDeps, customerId: number, pause: { paused: boolean; reason: string | null; actor: string }): Promise<number> {
  const ids = await deps.sql.begin(async (tx) => {
    await setCustomerPaused(tx, customerId, pause.paused, pause.reason);
    const open = await openInvoiceIdsOfCustomer(tx, customerId);
    for (const invoiceId of open) {
      await insertEvent(tx, pause.paused
        ? { invoiceId, kind: 'paused', params: { reason: pause.reason ?? '', wholeCustomer: true }, actor: pause.actor }
        : { invoiceId, kind: 'resumed', params: { wholeCustomer: true }, actor: pause.actor });
    }
    return open;
  });
  await wakeWorkflows(deps, ids);
  return ids.length;
}

/**
 * Records a reminder a person made by hand, with the timeline entry, in one transaction; then the
 * workflow replans from it (its next step on the chosen date, else after the step's delay).
 */
export async function recordManualReminderAndWake(
  deps: WebDeps,
  input: { invoiceId: number; step: { id: number; level: number; name: string }; note: string; nextPlannedOn: string | null; actor: string },
): Promise<boolean> {
  const at = new Date();
  const recorded = await deps.sql.begin(async (tx) => {
    const id = await recordManualReminder(tx, {
      invoiceId: input.invoiceId, level: input.step.level, stepId: input.step.id, stepName: input.step.name,
      actor: input.actor, note: input.note, nextPlannedOn: input.nextPlannedOn, at,
    });
    if (id === undefined) return false;
    await lastLevelUpdate(tx, input.invoiceId, input.step.level, at);
    await insertEvent(tx, {
      invoiceId: input.invoiceId, kind: 'reminder_manual', level: input.step.level, actor: input.actor,
      params: { step: input.step.name, note: input.note, nextOn: input.nextPlannedOn ?? undefined },
    });
    return true;
  });
  if (recorded) await wakeWorkflows(deps, [input.invoiceId]);
  return recorded;
}
