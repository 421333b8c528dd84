import { ScheduleAlreadyRunning, ScheduleOverlapPolicy, type Client, type ScheduleOptionsAction, type ScheduleSpec } from '@temporalio/client';
import { dailyReviewPass } from '../../workflows/daily-review-pass.js';
import { dunningRepairPass } from '../../workflows/dunning-repair-pass.js';
import { collectionSnapshot } from '../../workflows/collection-snapshot.js';

export const REVIEW_SCHEDULE_ID = 'relance-daily-review';
export const REPAIR_SCHEDULE_ID = 'relance-repair-pass';
export const SNAPSHOT_SCHEDULE_ID = 'relance-collection-snapshot';
const REPAIR_EVERY = '5 minutes';

/** Creates the schedule once, and brings it in line with the given spec and action on every later call. */
async function upsertSchedule(client: Client, scheduleId: string, spec: ScheduleSpec, action: ScheduleOptionsAction, catchupWindow: string, triggerImmediately = false): Promise<void> {
  try {
    await client.schedule.create({ scheduleId, spec, action, policies: { overlap: ScheduleOverlapPolicy.SKIP, catchupWindow }, state: { triggerImmediately } });
  } catch (err) {
    if (!(err instanceof ScheduleAlreadyRunning)) throw err;
    await client.schedule.getHandle(scheduleId).update((previous) => ({ ...previous, spec, action }));
  }
}

/**
 * The Temporal schedule of the daily review pass, at the settings' review hour in the company's
 * time zone: created once, brought in line with the settings on every start and settings change.
 */
export async function ensureReviewSchedule(client: Client, taskQueue: string, s: { reviewHour: number; timezone: string }): Promise<void> {
  const spec = { calendars: [{ hour: s.reviewHour, minute: 0, comment: 'daily review pass' }], timezone: s.timezone };
  await upsertSchedule(client, REVIEW_SCHEDULE_ID, spec, { type: 'startWorkflow', workflowType: dailyReviewPass, taskQueue, workflowId: 'daily-review-pass' }, '1 day');
}

/** The repair pass every few minutes, visible in the Temporal UI: no open invoice left without its workflow. */
export async function ensureRepairSchedule(client: Client, taskQueue: string): Promise<void> {
  const spec = { intervals: [{ every: REPAIR_EVERY }] };
  await upsertSchedule(client, REPAIR_SCHEDULE_ID, spec, { type: 'startWorkflow', workflowType: dunningRepairPass, taskQueue, workflowId: 'dunning-repair-pass' }, REPAIR_EVERY);
}

/**
 * The analytics' daily snapshot, late in the company's evening when the day's payments are in;
 * triggered once at once when created, so a fresh install has its twelve months computed back.
 */
export async function ensureSnapshotSchedule(client: Client, taskQueue: string, s: { timezone: string }): Promise<void> {
  const spec = { calendars: [{ hour: 23, minute: 30, comment: 'collection snapshot' }], timezone: s.timezone };
  await upsertSchedule(client, SNAPSHOT_SCHEDULE_ID, spec, { type: 'startWorkflow', workflowType: collectionSnapshot, taskQueue, workflowId: 'collection-snapshot' }, '1 day', true);
}
