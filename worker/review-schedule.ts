import { ScheduleAlreadyRunning, ScheduleOverlapPolicy, type Client } from '@temporalio/client';
import { dailyReviewPass } from '../workflows/daily-review-pass.js';

export const REVIEW_SCHEDULE_ID = 'relance-daily-review';

/**
 * The Temporal schedule of the daily review pass, at the settings' review hour in the company's
 * time zone: created once, brought in line with the settings on every start and settings change.
 */
export async function ensureReviewSchedule(client: Client, taskQueue: string, s: { reviewHour: number; timezone: string }): Promise<void> {
  const spec = { calendars: [{ hour: s.reviewHour, minute: 0, comment: 'daily review pass' }], timezone: s.timezone };
  const action = { type: 'startWorkflow' as const, workflowType: dailyReviewPass, taskQueue, workflowId: 'daily-review-pass' };
  try {
    await client.schedule.create({ scheduleId: REVIEW_SCHEDULE_ID, spec, action, policies: { overlap: ScheduleOverlapPolicy.SKIP, catchupWindow: '1 day' } });
  } catch (err) {
    if (!(err instanceof ScheduleAlreadyRunning)) throw err;
    await client.schedule.getHandle(REVIEW_SCHEDULE_ID).update((previous) => ({ ...previous, spec, action }));
  }
}
