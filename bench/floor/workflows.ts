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
 */
export async function engineFloor(): Promise<void> {
  let asked = false;
  setHandler(floorSendUpdate, async () => {
    await local.nothing();
    asked = true;
    return 'sent';
  });
  await local.nothing();
  upsertSearchAttributes([
    { key: dunningStatusKey, value: 'scheduled' },
    { key: dunningLevelKey, value: 0 },
    { key: nextStepAtKey, value: new Date(workflowInfo().startTime.getTime() + 30 * 86_400_000) },
  ]);
  await condition(() => asked);
  await condition(() => false);
}
