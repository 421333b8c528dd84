import { expect, it } from 'vitest';
import { paidSinceReminder, type ReceivedPayment } from '../../workflows/schedule/paid-since-reminder.js';

const payment = (paidOn: string, amountCents: number, recordedAt: string, method = 'transfer'): ReceivedPayment => ({ paidOn, amountCents, method, recordedAt: new Date(recordedAt) });

it('thanks for what was recorded after the last reminder, not before it, and names the last day paid', () => {
  const payments = [payment('2026-10-01', 10_000, '2026-10-01T09:00:00Z'), payment('2026-10-20', 2_500, '2026-10-20T09:00:00Z'), payment('2026-10-22', 1_500, '2026-10-22T09:00:00Z')];
  expect(paidSinceReminder(payments, { lastReminderAt: new Date('2026-10-15T08:00:00Z'), firstDueOn: '2026-09-01' })).toEqual({ amountCents: 4_000, lastOn: '2026-10-22' });
});

it('before the first reminder, thanks for what was paid after the due date (the first installment\'s)', () => {
  const payments = [payment('2026-09-01', 10_000, '2026-09-01T09:00:00Z'), payment('2026-09-05', 3_000, '2026-09-06T09:00:00Z')];
  expect(paidSinceReminder(payments, { lastReminderAt: null, firstDueOn: '2026-09-01' })).toEqual({ amountCents: 3_000, lastOn: '2026-09-05' });
  expect(paidSinceReminder(payments, { lastReminderAt: null, firstDueOn: null })).toBeNull();
});

it('does not thank for a credit note, nor for nothing', () => {
  const payments = [payment('2026-10-20', 5_000, '2026-10-20T09:00:00Z', 'credit_note')];
  expect(paidSinceReminder(payments, { lastReminderAt: new Date('2026-10-15T08:00:00Z'), firstDueOn: '2026-09-01' })).toBeNull();
  expect(paidSinceReminder([], { lastReminderAt: null, firstDueOn: '2026-09-01' })).toBeNull();
});
