import { proxyActivities } from '@temporalio/workflow';
import type { createSnapshotActivities } from '../activities/collection-snapshots.js';

const activities = proxyActivities<ReturnType<typeof createSnapshotActivities>>({
  startToCloseTimeout: '30 minutes',
  heartbeatTimeout: '2 minutes',
  retry: { initialInterval: '10 seconds', maximumInterval: '5 minutes', maximumAttempts: 10 },
});

/** Started every day by the `relance-collection-snapshot` schedule: what is owed today, for the analytics page. */
export async function collectionSnapshot(): Promise<{ today: string; days: number }> {
  return activities.takeCollectionSnapshots({ at: Date.now() });
}
