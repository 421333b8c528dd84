import { describe, expect, it } from 'vitest';
import { lateCharges, type LateChargesInput } from '../../workflows/schedule/late-charges.js';

const ECB = [
  { validFrom: '2025-01-01', rateBp: 315 },
  { validFrom: '2025-07-01', rateBp: 215 },
];
const base: LateChargesInput = {
  dueDate: '2023-12-31', totalCents: 1_000_000, payments: [], asOf: '2024-12-31', rule: { kind: 'fixed', rateBp: 1000 }, referenceRates: [], indemnity: false,
};

describe('statutory late charges, to the cent', () => {
  it('counts a leap year in 366ths and a common year in 365ths', () => {
    // 10,000.00 at 10 % for the whole of 2024 (366 days) and of 2025 (365 days): 1,000.00 each.
    expect(lateCharges(base)).toMatchObject({ daysLate: 366, interestCents: 100_000, rateBp: 1000 });
    expect(lateCharges({ ...base, dueDate: '2024-12-31', asOf: '2025-12-31' }).interestCents).toBe(100_000);
    // Across New Year into a leap year: 30/365 + 31/366 of 1,000.00 = 166.8912… → 166.89.
    expect(lateCharges({ ...base, dueDate: '2023-12-01', asOf: '2024-01-31' }).interestCents).toBe(16_689);
  });

  it('stops interest on a partial payment from its own day', () => {
    // 1,000.00 at 12.15 %: 29 days on 1,000.00, then 32 days on 600.00 = 4,820,000 × 0.1215 / 365 = 1,604.47 cents.
    const charges = lateCharges({
      ...base, dueDate: '2025-03-31', totalCents: 100_000, asOf: '2025-05-31', rule: { kind: 'fixed', rateBp: 1215 },
      payments: [{ paidOn: '2025-04-30', amountCents: 40_000 }],
    });
    expect(charges).toMatchObject({ daysLate: 61, interestCents: 1_604 });
    // Paid in full: nothing accrues after the payment day.
    const paid = lateCharges({ ...base, dueDate: '2025-03-31', totalCents: 100_000, asOf: '2025-12-31', rule: { kind: 'fixed', rateBp: 1215 }, payments: [{ paidOn: '2025-04-30', amountCents: 100_000 }] });
    expect(paid.interestCents).toBe(Math.round((100_000 * 29 * 0.1215) / 365));
  });

  it('charges each installment of a schedule from its own due date, nothing on what is still to come', () => {
    // 300.00 due 31 March, 700.00 due 30 April, at 10 %: 30 days on 300.00, then 31 days on 1,000.00
    // = 4,000,000 cent-days × 0.10 / 365 = 1,095.89 cents.
    const schedule = [{ dueDate: '2025-03-31', amountCents: 30_000 }, { dueDate: '2025-04-30', amountCents: 70_000 }];
    const charges = lateCharges({ ...base, dueDate: '2025-04-30', totalCents: 100_000, installments: schedule, asOf: '2025-05-31' });
    expect(charges).toMatchObject({ daysLate: 61, interestCents: 1_096 });
    // Before the second installment's date, only the first bears interest: 15 days on 300.00.
    expect(lateCharges({ ...base, dueDate: '2025-04-30', totalCents: 100_000, installments: schedule, asOf: '2025-04-15' }).interestCents).toBe(Math.round((30_000 * 15 * 0.1) / 365));
  });

  it('applies the reference rate of each half-year plus ten points', () => {
    // 5,000.00 from 16 June (13.15 %) to 15 July (12.15 %): 15 days each = 51.99.
    const charges = lateCharges({ ...base, dueDate: '2025-06-15', totalCents: 500_000, asOf: '2025-07-15', rule: { kind: 'reference', plusBp: 1000 }, referenceRates: ECB });
    expect(charges).toMatchObject({ interestCents: 5_199, rateBp: 1215, missingRates: [] });
  });

  it('names the half-years whose reference rate is unknown instead of guessing it', () => {
    const charges = lateCharges({ ...base, dueDate: '2025-12-15', totalCents: 500_000, asOf: '2026-01-10', rule: { kind: 'reference', plusBp: 1000 }, referenceRates: ECB });
    expect(charges.missingRates).toEqual(['2026-01-01']);
    expect(charges.interestCents).toBe(Math.round((500_000 * 16 * 0.1215) / 365));
  });

  it('charges the 40 EUR indemnity once per late invoice, only when asked (business customers)', () => {
    expect(lateCharges({ ...base, indemnity: true }).indemnityCents).toBe(4_000);
    expect(lateCharges({ ...base, indemnity: true, asOf: '2023-12-31' })).toMatchObject({ indemnityCents: 0, interestCents: 0, daysLate: 0 });
    expect(lateCharges({ ...base, indemnity: false }).indemnityCents).toBe(0);
    expect(lateCharges({ ...base, rule: { kind: 'none' } })).toMatchObject({ interestCents: 0, rateBp: null });
  });
});
