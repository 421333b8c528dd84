import type { Sql } from '../db/client.js';
import { createDunningActivities } from './dunning.js';
import type { Mailer } from './mail/mailer.js';
import { createReminderActivities } from './reminders.js';

export interface ActivityDeps {
  sql: Sql;
  mailer: Mailer;
  /** Sender used when the company settings name none. */
  defaultFrom: string;
}

export function createActivities(deps: ActivityDeps) {
  return {
    ...createDunningActivities(deps),
    ...createReminderActivities(deps),
  };
}
