import { condition, defineUpdate, proxyLocalActivities, setHandler, upsertSearchAttributes, workflowInfo } from '@temporalio/workflow';
import { dunningLevelKey, dunningStatusKey, nextStepAtKey } from '../../workflows/search-attributes.js';

const local = proxyLocalActivities<{ nothing(): Promise<void> }>({ startToCloseTimeout: '30 seconds' });

export const floorSendUpdate = defineUpdate<string>('floorSend');

/**
 * The invoice workflow's shape with none of Relance's work, the engine's own cost: a local activity
 * that returns at once (the invoice's load), one search-attribute upsert (its plan published), then
 * a wait that an update ends (a bulk run's ask), the update running one more such local activity.
 * Then it waits again, as an invoice's workflow does after a reminder (and because the dev server
 * can lose the result of an update whose workflow completes in the same task).
 *
 * With `replans`, the engine's commands of an invoice's workflow too, still without its work: it
 * sleeps on a timer until its next step, and after the ask publishes its new plan and sleeps on a
 * new timer, as the invoice's does after a reminder.
 */
export async function engineFloor(options: { replans?: boolean } = {}): Promise<void> {
  let asked = false;
  setHandler(floorSendUpdate, async () => {
    await local.nothing();
    asked = true;
    return 'sent';
  });
  await local.nothing();
  const day = 86_400_000;
  const publish = (level: number, inDays: number) => upsertSearchAttributes([
    { key: dunningStatusKey, value: 'scheduled' },
    { key: dunningLevelKey, value: level },
    { key: nextStepAtKey, value: new Date(workflowInfo().startTime.getTime() + inDays * day) },
  ]);
  publish(0, 30);
  if (!options.replans) {
    await condition(() => asked);
    await condition(() => false);
    return;
  }
  await condition(() => asked, 30 * day);
  publish(1, 45);
  await condition(() => false, 45 * day);
}
