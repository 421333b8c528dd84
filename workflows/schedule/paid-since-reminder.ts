/** A payment as a reminder's thanks judge it. */
export interface ReceivedPayment {
  amountCents: number;
  paidOn: string;
  method: string;
  /** When Relance learnt of it. */
  recordedAt: Date;
}

/**
 * What the customer paid since the invoice's last reminder (before the first one, after the
 * invoice fell due: a late payment), to thank them for: the sum and the last payment's day.
 * Credit notes are not payments to thank anyone for.
 */
export function paidSinceReminder(
  payments: readonly ReceivedPayment[],
  since: { lastReminderAt: Date | null; firstDueOn: string | null },
): { amountCents: number; lastOn: string } | null {
  const { lastReminderAt, firstDueOn } = since;
  const received = payments.filter((p) => p.method !== 'credit_note'
    && (lastReminderAt ? p.recordedAt.getTime() > lastReminderAt.getTime() : firstDueOn !== null && p.paidOn > firstDueOn));
  const amountCents = received.reduce((sum, p) => sum + p.amountCents, 0);
  return amountCents ? { amountCents, lastOn: received.map((p) => p.paidOn).sort().at(-1)! } : null;
}
