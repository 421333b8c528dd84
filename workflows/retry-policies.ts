import type { RetryPolicy } from '@temporalio/common';
import { NON_RETRYABLE } from './errors.js';

/** A reminder's send or record: retried with backoff as long as it takes, never for what retrying cannot fix. */
export const SEND_RETRY: RetryPolicy = {
  initialInterval: '2 seconds',
  backoffCoefficient: 2,
  maximumInterval: '10 minutes',
  nonRetryableErrorTypes: Object.values(NON_RETRYABLE),
};

/** A run's own steps (a bulk run's slices, a SEPA file): retried within seconds after a lost worker. */
export const RUN_STEP_RETRY: RetryPolicy = { initialInterval: '2 seconds', maximumInterval: '1 minute' };
