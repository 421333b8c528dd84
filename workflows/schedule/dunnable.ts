import type { IsoDate } from './calendar-date.js';
import { promiseState, type PendingPromise } from './promise.js';

/** Why an invoice is not chased right now, or null when it may be. */
export type DunningHold =
  | 'paid' | 'cancelled'
  /** An operator stopped its workflow (cancel or terminate in Temporal): nothing until resumed from the admin site. */
  | 'stopped'
  | 'paused' | 'customer_paused' | 'excluded' | 'disputed' | 'promised' | 'letter_to_print' | 'collection_pending'
  | 'in_statement' | 'below_minimum'
  /** The level is due but its policy waits for the day's review: not approved yet, or held back. */
  | 'awaiting_approval' | 'held_in_review';

export interface DunnableFacts {
  status: 'open' | 'paid' | 'cancelled';
  balanceCents: number;
  paused: boolean;
  customerPaused: boolean;
  excluded: boolean;
  minimumBalanceCents: number;
  /** A letter is waiting to be downloaded for printing: its level counts once it is. */
  letterToPrint: boolean;
  /** A SEPA collection was sent for it: dunning waits for the bank's outcome. */
  collectionPending: boolean;
  /** A dispute is open: nothing is sent until finance closes it. */
  disputed: boolean;
  promise: PendingPromise | null;
  /** Its due level waits in the customer's statement, which sends it. */
  inStatement: boolean;
  /** An operator stopped its dunning in Temporal (absent from facts recorded before it existed). */
  stopped?: boolean;
}

/** `today` is the company's calendar date, which a promise to pay is judged by. */
export function dunningHold(f: DunnableFacts, today: IsoDate): DunningHold | null {
  if (f.status === 'cancelled') return 'cancelled';
  if (f.status === 'paid' || f.balanceCents <= 0) return 'paid';
  if (f.stopped) return 'stopped';
  if (f.excluded) return 'excluded';
  if (f.paused) return 'paused';
  if (f.customerPaused) return 'customer_paused';
  if (f.disputed) return 'disputed';
  if (f.promise && promiseState(f.promise, f.balanceCents, today) === 'waiting') return 'promised';
  if (f.letterToPrint) return 'letter_to_print';
  if (f.collectionPending) return 'collection_pending';
  if (f.inStatement) return 'in_statement';
  if (f.balanceCents < f.minimumBalanceCents) return 'below_minimum';
  return null;
}

/** Holds that end the workflow (for good, or until a person resumes a stopped one); the others only make it wait. */
export function isFinalHold(hold: DunningHold | null): hold is 'paid' | 'cancelled' | 'stopped' {
  return hold === 'paid' || hold === 'cancelled' || hold === 'stopped';
}
