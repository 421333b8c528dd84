/** The ages a balance is sorted by on a day: not yet due, then by days past its due date. */
export const AGING_BUCKETS = ['not_due', '1-30', '31-60', '61-90', '>90'] as const;
export type AgingBucketName = (typeof AGING_BUCKETS)[number];

/** What was owed at the end of a day, in one currency. */
export interface CollectionSnapshot {
  day: string;
  currency: string;
  receivableCents: number;
  overdueCents: number;
  /** What was invoiced in the 90 days up to that day. */
  sales90Cents: number;
  aging: Record<AgingBucketName, number>;
}

/** Days sales outstanding (count-back over 90 days): what is owed, in days of invoicing, to the tenth; null without invoicing. */
export const dsoOf = (s: Pick<CollectionSnapshot, 'receivableCents' | 'sales90Cents'>): number | null =>
  s.sales90Cents > 0 ? Math.round((s.receivableCents / s.sales90Cents) * 90 * 10) / 10 : null;

/** The last snapshot of each month, oldest first: the points of the monthly tables and of the aging bars. */
export function monthEnds(snapshots: readonly CollectionSnapshot[]): CollectionSnapshot[] {
  const byMonth = new Map<string, CollectionSnapshot>();
  for (const s of snapshots) byMonth.set(s.day.slice(0, 7), s);
  return [...byMonth.values()];
}
