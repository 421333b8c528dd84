import type { Client } from '@temporalio/client';
import { invoiceChangedSignal, stepsChangedSignal } from '../../workflows/messages.js';
import { dunningWorkflowId, withinDeadline } from './dunning-client.js';
import { eachConcurrently } from '../../workflows/each-concurrently.js';

/**
 * Tells running workflows that what they depend on changed, so each replans from its next step.
 * The change is already committed; a workflow that is not running has nothing to replan.
 */
export async function wakeWorkflows(deps: { temporal: Client }, invoiceIds: readonly number[], reason: 'steps' | 'invoice' = 'invoice'): Promise<void> {
  const signal = reason === 'steps' ? stepsChangedSignal : invoiceChangedSignal;
  // Within the engine's deadline, so a page or the API answers during an outage: a workflow not
  // told reads the change when it next wakes, before anything is sent.
  await withinDeadline(deps.temporal, () =>
    eachConcurrently(invoiceIds, (id) => deps.temporal.workflow.getHandle(dunningWorkflowId(id)).signal(signal).catch(() => undefined)),
  );
}
