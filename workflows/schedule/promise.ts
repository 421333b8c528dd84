import type { IsoDate } from './calendar-date.js';

/** A promise to pay not yet settled: the customer said they would pay `amountCents` by `promisedOn`. */
export interface PendingPromise {
  id: number;
  amountCents: number;
  promisedOn: IsoDate;
  /** The balance when the promise was made. */
  balanceCents: number;
}

export type PromiseState = 'kept' | 'waiting' | 'broken';

/**
 * Kept once the balance has come down by the promised amount (several partial payments count
 * together); broken the day after the promised date if it has not; waiting until then.
 */
export function promiseState(p: PendingPromise, balanceCents: number, today: IsoDate): PromiseState {
  if (balanceCents <= p.balanceCents - p.amountCents) return 'kept';
  return today <= p.promisedOn ? 'waiting' : 'broken';
}
