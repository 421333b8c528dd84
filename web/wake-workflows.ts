import { invoiceChangedSignal, stepsChangedSignal } from '../workflows/messages.js';
import { dunningWorkflowId } from './dunning-client.js';
import type { WebDeps } from './deps.js';

const CONCURRENCY = 32;

/** Runs `work` on every item, a bounded number at a time, reporting how many are done. */
export async function inLanes<T>(
  items: readonly T[],
  work: (item: T) => Promise<void>,
  onProgress?: (done: number) => Promise<void>,
  concurrency = CONCURRENCY,
): Promise<void> {
  let next = 0;
  let done = 0;
  const lane = async () => {
    while (next < items.length) {
      await work(items[next++]!);
      done++;
      if (onProgress && (done % 50 === 0 || done === items.length)) await onProgress(done);
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, items.length) }, lane));
}

/**
 * Tells running workflows that what they depend on changed, so each replans from its next step.
 * The change is already committed; a workflow that is not running has nothing to replan.
 */
export async function wakeWorkflows(deps: WebDeps, invoiceIds: readonly number[], reason: 'steps' | 'invoice' = 'invoice'): Promise<void> {
  const signal = reason === 'steps' ? stepsChangedSignal : invoiceChangedSignal;
  await inLanes(invoiceIds, (id) => deps.temporal.workflow.getHandle(dunningWorkflowId(id)).signal(signal).catch(() => undefined));
}
