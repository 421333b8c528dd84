import { proxyActivities } from '@temporalio/workflow';
import type { createRepairActivities, RepairReport } from '../activities/dunning-repair.js';

const activities = proxyActivities<ReturnType<typeof createRepairActivities>>({
  startToCloseTimeout: '10 minutes',
  retry: { initialInterval: '5 seconds', maximumInterval: '1 minute', maximumAttempts: 5 },
});

/** Started every few minutes by the `relance-repair-pass` schedule: no open invoice left without its workflow. */
export async function dunningRepairPass(): Promise<RepairReport> {
  return activities.repairDunningWorkflows();
}
