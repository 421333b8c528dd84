import { Context } from '@temporalio/activity';
import type { Sql } from '../db/client.js';
import { daysWithoutSnapshot, saveSnapshot } from '../db/queries/analytics.js';
import { getSettings } from '../db/queries/settings.js';
import { localDate } from '../workflows/schedule/zoned-time.js';

/** How far back the analytics look: twelve months, and the days the ninety-day DSO needs are counted in the query. */
export const SNAPSHOT_SPAN_DAYS = 366;

export function createSnapshotActivities({ sql }: { sql: Sql }) {
  return {
    /**
     * Today's snapshot of what is owed, and every missing day of the last twelve months computed
     * back from the invoices and payments: the first run fills the year, later ones a day.
     */
    async takeCollectionSnapshots(input: { at: number }): Promise<{ today: string; days: number }> {
      const today = localDate(input.at, (await getSettings(sql)).timezone);
      const missing = await daysWithoutSnapshot(sql, today, SNAPSHOT_SPAN_DAYS);
      // Today's is taken again at each run: the day is not over.
      const days = missing.includes(today) ? missing : [...missing, today];
      for (const day of days) {
        await saveSnapshot(sql, day);
        Context.current().heartbeat(day);
      }
      return { today, days: days.length };
    },
  };
}
