import { proxyActivities } from '@temporalio/workflow';
import type { createReviewActivities } from '../activities/review-passes.js';

const activities = proxyActivities<ReturnType<typeof createReviewActivities>>({
  startToCloseTimeout: '10 minutes',
  retry: { initialInterval: '5 seconds', maximumInterval: '5 minutes' },
});

/** The daily pass, started by the `relance-daily-review` schedule: today's reminders, listed for review. */
export async function dailyReviewPass(): Promise<{ passDate: string; awaitingApproval: number; automatic: number }> {
  return activities.prepareReviewPass({ at: Date.now() });
}
