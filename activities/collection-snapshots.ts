import { Context } from '@temporalio/activity';
import type { Sql } from '../db/client.js';
import { daysWithoutSnapshot, refreshCustomerHabits, refreshReminderEffects, saveSnapshot } from '../db/queries/analytics.js';
import { addDays } from '../workflows/schedule/calendar-date.js';
import { getSettings } from '../db/queries/settings.js';
import { localDate } from '../workflows/schedule/zoned-time.js';

/** How far back the analytics look: twelve months, and the days the ninety-day DSO needs are counted in the query. */
export const SNAPSHOT_SPAN_DAYS = 366;

export function createSnapshotActivities({ sql }: { sql: Sql }) {
  return {
    /**
     * Today's snapshot of what is owed, and every missing day of the last twelve months computed
     * back from the invoices and payments (the first run fills the year, later ones a day); then the
     * reminders' effects and the customers' habits.
     */
    async takeCollectionSnapshots(input: { at: number }): Promise<{ today: string; days: number }> {
      const { timezone } = await getSettings(sql);
      const today = localDate(input.at, timezone);
      const missing = await daysWithoutSnapshot(sql, today, SNAPSHOT_SPAN_DAYS);
      // Today's is taken again at each run: the day is not over.
      const days = missing.includes(today) ? missing : [...missing, today];
      for (const day of days) {
        await saveSnapshot(sql, day);
        Context.current().heartbeat(day);
      }
      // Which reminder works and each customer's habits, over the same twelve months, in one go: the page reads them as they are.
      await sql.begin(async (tx) => {
        await refreshReminderEffects(tx, new Date(`${addDays(today, -SNAPSHOT_SPAN_DAYS)}T00:00:00Z`), timezone);
        await refreshCustomerHabits(tx, today);
      });
      return { today, days: days.length };
    },
  };
}
