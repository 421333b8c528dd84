import type { Client } from '@temporalio/client';
import type { Sql } from '../db/client.js';
import { createBulkRunActivities } from './bulk-runs.js';
import { createSepaActivities } from './sepa-runs.js';
import { createDunningActivities } from './dunning.js';
import { createLateChargeActivities } from './late-charge-notes.js';
import { createStatementActivities } from './statements.js';
import { createReviewActivities } from './review-passes.js';
import { createRepairActivities } from './dunning-repair.js';
import { createSnapshotActivities } from './collection-snapshots.js';
import type { Mailer } from '../services/mail/mailer.js';
import type { PdfRenderer } from '../services/pdf/pdf-renderer.js';
import { createReminderActivities } from './reminders.js';
import type { StripeConnect } from '../services/stripe/stripe-client.js';
import { createConfigurationCache } from '../db/configuration-cache.js';

export interface ActivityDeps {
  sql: Sql;
  mailer: Mailer;
  /** Sender used when the company settings name none. */
  defaultFrom: string;
  pdf: PdfRenderer;
  /** Bulk runs ask invoice workflows through it. */
  temporal: Client;
  stripe: StripeConnect;
  /** The admin site's address, which pay links point to. */
  publicUrl: string;
  /** The e-mail provider's ceiling (reminders per second, all workers together); unset, none. */
  sendsPerSecond?: number;
}

export function createActivities(deps: ActivityDeps) {
  // One per worker: planning and sending reuse the same reads of the configuration.
  const configuration = createConfigurationCache(deps.sql);
  return {
    ...createDunningActivities({ ...deps, configuration }),
    ...createReminderActivities({ ...deps, configuration }),
    ...createBulkRunActivities(deps),
    ...createSepaActivities(deps),
    ...createLateChargeActivities(deps),
    ...createStatementActivities(deps),
    ...createReviewActivities(deps),
    ...createRepairActivities(deps),
    ...createSnapshotActivities(deps),
  };
}
