import type { IsoDate } from './calendar-date.js';
import type { Installment } from './payment-terms.js';

/** Paid in full; due (its date has come) and not paid in full; or still to come ("à échoir"). */
export type InstallmentState = 'paid' | 'due' | 'to_come';

export interface InstallmentPosition extends Installment {
  paidCents: number;
  openCents: number;
  state: InstallmentState;
}

export interface AmountsOwed {
  /** Each installment with the payments applied to it; an invoice without a schedule has one. */
  installments: InstallmentPosition[];
  balanceCents: number;
  /** The open part of the installments whose date has come. */
  dueCents: number;
  /** What a reminder sent today claims: the open part of every installment due by today or by the first unpaid one's date (a reminder may go out before it). */
  claimedCents: number;
  /** The rest of the balance, not yet due ("à échoir"). */
  toComeCents: number;
  /** The installments the claim is made of, oldest first. */
  claimed: InstallmentPosition[];
  /** The first installment not paid in full: the day dunning counts from. */
  firstUnpaid: InstallmentPosition | null;
}

export interface InvoiceAmounts {
  issueDate: IsoDate;
  dueDate: IsoDate | null;
  totalCents: number;
  paidCents: number;
  installments: readonly Installment[];
}

/**
 * What an invoice owes on `today`, installment by installment. Payments and credit notes settle the
 * installments in their order (the oldest first); an invoice without a schedule is one installment
 * due on its due date (its issue date when it has none).
 */
export function amountsOwed(invoice: InvoiceAmounts, today: IsoDate): AmountsOwed {
  const schedule: readonly Installment[] = invoice.installments.length
    ? [...invoice.installments].sort((a, b) => a.seq - b.seq)
    : [{ seq: 1, dueDate: invoice.dueDate ?? invoice.issueDate, amountCents: invoice.totalCents, label: '' }];
  let unallocated = Math.max(0, invoice.paidCents);
  const installments = schedule.map((i): InstallmentPosition => {
    const paidCents = Math.min(unallocated, i.amountCents);
    unallocated -= paidCents;
    const openCents = i.amountCents - paidCents;
    const state: InstallmentState = openCents === 0 ? 'paid' : i.dueDate <= today ? 'due' : 'to_come';
    return { ...i, paidCents, openCents, state };
  });
  const balanceCents = Math.max(0, invoice.totalCents - invoice.paidCents);
  const firstUnpaid = installments.find((i) => i.openCents > 0) ?? null;
  const claimUntil = firstUnpaid && firstUnpaid.dueDate > today ? firstUnpaid.dueDate : today;
  const claimed = installments.filter((i) => i.openCents > 0 && i.dueDate <= claimUntil);
  const claimedCents = Math.min(balanceCents, claimed.reduce((s, i) => s + i.openCents, 0));
  const dueCents = installments.filter((i) => i.state === 'due').reduce((s, i) => s + i.openCents, 0);
  return { installments, balanceCents, dueCents, claimedCents, toComeCents: balanceCents - claimedCents, claimed, firstUnpaid };
}
