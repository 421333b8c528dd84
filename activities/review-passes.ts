import type { Sql } from '../db/client.js';
import { storePass } from '../db/queries/review.js';
import { passItems } from '../db/queries/review-pass-items.js';
import { getSettings } from '../db/queries/settings.js';
import { localDate } from '../workflows/schedule/zoned-time.js';

export function createReviewActivities({ sql }: { sql: Sql }) {
  return {
    /** Lists and keeps what falls due today under policies that need approval, for finance to review. */
    async prepareReviewPass(input: { at: number }): Promise<{ passDate: string; awaitingApproval: number; automatic: number }> {
      const settings = await getSettings(sql);
      const passDate = localDate(input.at, settings.timezone);
      const items = await passItems(sql, passDate, { timeZone: settings.timezone, sendHour: settings.sendHour, country: settings.country });
      await storePass(sql, passDate, items);
      const gated = items.filter((i) => i.needsApproval).length;
      return { passDate, awaitingApproval: gated, automatic: items.length - gated };
    },
  };
}
