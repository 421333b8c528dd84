import fc from 'fast-check';
import { expect, it } from 'vitest';
import { amountsOwed } from '../../workflows/schedule/amounts-owed.js';
import { addDays } from '../../workflows/schedule/calendar-date.js';

const schedule = (today: string) => ({
  issueDate: addDays(today, -60), dueDate: addDays(today, 30), totalCents: 1_272_090,
  installments: [
    { seq: 1, dueDate: addDays(today, -30), amountCents: 381_627, label: 'Acompte' },
    { seq: 2, dueDate: addDays(today, 30), amountCents: 890_463, label: 'Solde' },
  ],
});

it('claims the overdue deposit of an installment invoice and leaves the balance to come', () => {
  const today = '2026-10-20';
  const owed = amountsOwed({ ...schedule(today), paidCents: 0 }, today);
  expect(owed.claimedCents).toBe(381_627);
  expect(owed.toComeCents).toBe(890_463);
  expect(owed.installments.map((i) => i.state)).toEqual(['due', 'to_come']);
  // A part payment settles the oldest installment first.
  const part = amountsOwed({ ...schedule(today), paidCents: 100_000 }, today);
  expect(part.installments.map((i) => [i.paidCents, i.openCents])).toEqual([[100_000, 281_627], [0, 890_463]]);
  expect(part.claimedCents).toBe(281_627);
  // Deposit paid: a reminder sent before the balance's date claims that installment, the next one due.
  const paid = amountsOwed({ ...schedule(today), paidCents: 381_627 }, today);
  expect(paid.installments.map((i) => i.state)).toEqual(['paid', 'to_come']);
  expect([paid.dueCents, paid.claimedCents, paid.firstUnpaid?.seq]).toEqual([0, 890_463, 2]);
});

it('treats an invoice without a schedule as one installment on its due date', () => {
  const owed = amountsOwed({ issueDate: '2026-09-01', dueDate: '2026-10-01', totalCents: 50_000, paidCents: 20_000, installments: [] }, '2026-11-01');
  expect([owed.claimedCents, owed.toComeCents, owed.dueCents]).toEqual([30_000, 0, 30_000]);
});

it('never claims more than the balance nor anything not yet due past the first unpaid installment', () => {
  const arb = fc.record({
    amounts: fc.array(fc.integer({ min: 1, max: 1_000_000 }), { minLength: 1, maxLength: 6 }),
    gaps: fc.array(fc.integer({ min: 0, max: 90 }), { minLength: 6, maxLength: 6 }),
    paidShare: fc.double({ min: 0, max: 1, noNaN: true }),
    todayOffset: fc.integer({ min: -30, max: 400 }),
  });
  fc.assert(fc.property(arb, ({ amounts, gaps, paidShare, todayOffset }) => {
    let day = '2026-01-01';
    const installments = amounts.map((amountCents, i) => ({ seq: i + 1, dueDate: (day = addDays(day, gaps[i]!)), amountCents, label: '' }));
    const totalCents = amounts.reduce((a, b) => a + b, 0);
    const paidCents = Math.floor(totalCents * paidShare);
    const today = addDays('2026-01-01', todayOffset);
    const owed = amountsOwed({ issueDate: '2026-01-01', dueDate: day, totalCents, paidCents, installments }, today);
    expect(owed.claimedCents + owed.toComeCents).toBe(totalCents - paidCents);
    expect(owed.installments.reduce((s, i) => s + i.openCents, 0)).toBe(totalCents - paidCents);
    expect(owed.dueCents).toBeLessThanOrEqual(owed.claimedCents);
    if (owed.balanceCents > 0) expect(owed.claimedCents).toBeGreaterThan(0);
    const limit = owed.firstUnpaid && owed.firstUnpaid.dueDate > today ? owed.firstUnpaid.dueDate : today;
    for (const i of owed.claimed) expect(i.dueDate <= limit).toBe(true);
  }), { numRuns: 1_000 });
});
