import { proxyActivities } from '@temporalio/workflow';
import type { createLateChargeActivities } from '../activities/late-charge-notes.js';
import { NON_RETRYABLE } from './errors.js';

const activities = proxyActivities<ReturnType<typeof createLateChargeActivities>>({
  startToCloseTimeout: '2 minutes',
  retry: { initialInterval: '2 seconds', maximumInterval: '1 minute', maximumAttempts: 5, nonRetryableErrorTypes: Object.values(NON_RETRYABLE) },
});

/** Issues an invoice's late-charge note as of a day; the PDF is rendered by the worker's Chromium. */
export async function lateChargeNote(input: { invoiceId: number; asOf: string; actor: string }): Promise<{ noteId: number }> {
  return activities.issueLateChargeNote(input);
}
