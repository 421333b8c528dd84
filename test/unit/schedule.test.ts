import fc from 'fast-check';
import Holidays from 'date-holidays';
import { describe, expect, it } from 'vitest';
import {
  addDays, applyDueRule, dayOfWeek, daysBetween, easterSunday, endOfMonth, instantAt, isBusinessDay, localDate,
  makeDate, nextBusinessDay, planInstallments, promiseState, publicHolidays, rowColour, stepDue, upcomingSteps, PaymentTermsError,
  type StepRule,
} from '../../workflows/schedule/index.js';

const isoDate = fc.date({ min: new Date('1990-01-01T00:00:00Z'), max: new Date('2090-12-31T00:00:00Z'), noInvalidDate: true })
  .map((d) => d.toISOString().slice(0, 10));
const paris = { timeZone: 'Europe/Paris', sendHour: 9, country: 'FR' };
const steps: StepRule[] = [
  { level: 1, name: 'Relance 1', delayDays: 0, isFinal: false },
  { level: 2, name: 'Relance 2', delayDays: 15, isFinal: false },
  { level: 3, name: 'Relance 3', delayDays: 15, isFinal: false },
  { level: 4, name: 'Mise en demeure', delayDays: 15, isFinal: true },
];

describe('French public holidays', () => {
  it('match the date-holidays library for every year from 1990 to 2090', () => {
    const oracle = new Holidays('FR');
    for (let year = 1990; year <= 2090; year++) {
      // A set: in 1997 and 2008, Ascension fell on 8 May or 1 May.
      const expected = [...new Set(oracle.getHolidays(year).filter((h) => h.type === 'public').map((h) => h.date.slice(0, 10)))].sort();
      expect([...publicHolidays('FR', year)].sort(), String(year)).toEqual(expected);
    }
  });

  it('know Easter of known years', () => {
    expect(['2024', '2025', '2026', '2027'].map((y) => easterSunday(Number(y)))).toEqual(['2024-03-31', '2025-04-20', '2026-04-05', '2027-03-28']);
  });

  it('push a Friday 1 May to Monday 4 May, and Whit Monday 2026 to Tuesday', () => {
    expect(nextBusinessDay('2026-05-01', 'FR')).toBe('2026-05-04');
    expect(nextBusinessDay('2026-05-25', 'FR')).toBe('2026-05-26');
    expect(nextBusinessDay('2026-12-25', 'FR')).toBe('2026-12-28');
  });
});

describe('business days', () => {
  it('the next business day is the first business day on or after the date', () => {
    fc.assert(fc.property(isoDate, (d) => {
      const next = nextBusinessDay(d, 'FR');
      expect(next >= d).toBe(true);
      expect(isBusinessDay(next, 'FR')).toBe(true);
      for (let x = d; x < next; x = addDays(x, 1)) expect(isBusinessDay(x, 'FR')).toBe(false);
      expect(daysBetween(d, next)).toBeLessThanOrEqual(4);
    }));
  });

  it('a country without a calendar only skips weekends', () => {
    fc.assert(fc.property(isoDate, (d) => {
      expect(isBusinessDay(d, 'XX')).toBe(![0, 6].includes(dayOfWeek(d)));
    }));
  });
});

describe('time zones', () => {
  it('the send hour falls on the same calendar day in the company time zone, DST included', () => {
    fc.assert(fc.property(isoDate, fc.integer({ min: 0, max: 23 }), fc.constantFrom('Europe/Paris', 'America/New_York', 'Asia/Tokyo'), (d, h, tz) => {
      expect(localDate(instantAt(d, h, tz), tz)).toBe(d);
    }));
  });

  it('09:00 in Paris is 08:00 UTC in winter and 07:00 UTC in summer', () => {
    expect(new Date(instantAt('2026-01-15', 9, 'Europe/Paris')).toISOString()).toBe('2026-01-15T08:00:00.000Z');
    expect(new Date(instantAt('2026-07-15', 9, 'Europe/Paris')).toISOString()).toBe('2026-07-15T07:00:00.000Z');
  });
});

describe('due dates by rule', () => {
  it('"n days end of month" lands on the last day of a month at least n days later', () => {
    fc.assert(fc.property(isoDate, fc.integer({ min: 0, max: 120 }), (d, n) => {
      const due = applyDueRule(d, { kind: 'days_end_of_month', days: n });
      expect(due).toBe(endOfMonth(due));
      expect(daysBetween(d, due)).toBeGreaterThanOrEqual(n);
      expect(daysBetween(d, due)).toBeLessThan(n + 31);
    }));
    expect(applyDueRule('2026-01-15', { kind: 'days_end_of_month', days: 30 })).toBe('2026-02-28');
    expect(applyDueRule('2028-01-31', { kind: 'days_end_of_month', days: 30 })).toBe('2028-03-31');
  });
});

describe('installment schedules', () => {
  it('always add up to the invoice total, whatever the split', () => {
    fc.assert(fc.property(
      isoDate,
      fc.integer({ min: 1, max: 10_000_000 }),
      fc.array(fc.integer({ min: 1, max: 50 }), { minLength: 1, maxLength: 12 }),
      (issue, total, weights) => {
        // Percents with two decimals that total exactly 100 %.
        const sum = weights.reduce((a, b) => a + b, 0);
        const bps = weights.map((w) => Math.floor((w * 10_000) / sum));
        bps[bps.length - 1]! += 10_000 - bps.reduce((a, b) => a + b, 0);
        fc.pre(bps.every((b) => b > 0));
        const plan = planInstallments(issue, total, bps.map((b) => ({ percent: b / 100, rule: { kind: 'days', days: 30 } })));
        expect(plan.reduce((s, i) => s + i.amountCents, 0)).toBe(total);
        plan.forEach((i, k) => expect(i.dueDate).toBe(addDays(issue, 30 * (k + 1))));
      },
    ));
  });

  it('"30 % at order, balance 30 days end of month" follows each line from the one above', () => {
    const plan = planInstallments('2026-03-10', 100_001, [
      { percent: 30, rule: { kind: 'at_order' } },
      { percent: 70, rule: { kind: 'days_end_of_month', days: 30 } },
    ]);
    expect(plan).toEqual([
      { seq: 1, dueDate: '2026-03-10', amountCents: 30_000, label: '' },
      { seq: 2, dueDate: '2026-04-30', amountCents: 70_001, label: '' },
    ]);
  });

  it('refuse schedules that do not make exactly 100 %, naming the field', () => {
    const err = (f: () => unknown) => { try { f(); return null; } catch (e) { return e as PaymentTermsError; } };
    expect(err(() => planInstallments('2026-01-01', 1000, [{ percent: 50, rule: { kind: 'at_order' } }]))?.field).toBe('installments');
    expect(err(() => planInstallments('2026-01-01', 1000, [{ percent: 0, rule: { kind: 'at_order' } }]))?.field).toBe('installments[0].percent');
    expect(err(() => planInstallments('2026-01-01', 1000, [{ rule: { kind: 'at_order' } }]))?.field).toBe('installments[0]');
    expect(planInstallments('2026-01-01', 1000, [{ amountCents: 400, rule: { kind: 'at_order' } }, { percent: 60, rule: { kind: 'days', days: 30 } }])
      .map((i) => i.amountCents)).toEqual([400, 600]);
  });
});

describe('the dunning plan', () => {
  it('each step goes out on a business day at the send hour, after the one before', () => {
    fc.assert(fc.property(isoDate, (due) => {
      const plan = upcomingSteps(steps, due, { level: 0, lastDate: null }, paris);
      expect(plan.map((p) => p.level)).toEqual([1, 2, 3, 4]);
      plan.forEach((p, i) => {
        expect(isBusinessDay(p.sendDate, 'FR')).toBe(true);
        expect(p.sendDate >= p.nominalDate).toBe(true);
        expect(localDate(p.sendAt, 'Europe/Paris')).toBe(p.sendDate);
        if (i > 0) expect(p.nominalDate).toBe(addDays(plan[i - 1]!.sendDate, 15));
      });
    }));
  });

  it('an invoice entering late gets only the highest level reached, never several', () => {
    fc.assert(fc.property(isoDate, fc.integer({ min: 0, max: 200 }), (due, lateDays) => {
      const now = instantAt(addDays(due, lateDays), 12, 'Europe/Paris');
      const { reached, next } = stepDue(steps, due, { level: 0, lastDate: null }, paris, now);
      const all = upcomingSteps(steps, due, { level: 0, lastDate: null }, paris);
      const passed = all.filter((p) => p.sendAt <= now);
      expect(reached?.level ?? 0).toBe(passed.length);
      if (next) expect(next.sendAt).toBeGreaterThan(now);
      if (reached && next) expect(next.level).toBe(reached.level + 1);
    }));
  });

  it('continues from the day the last step was actually performed, or from a date a person chose', () => {
    expect(upcomingSteps(steps, '2026-01-05', { level: 2, lastDate: '2026-03-02' }, paris).map((p) => p.sendDate)).toEqual(['2026-03-17', '2026-04-01']);
    expect(upcomingSteps(steps, '2026-01-05', { level: 2, lastDate: '2026-03-02', nextPlannedOn: '2026-03-09' }, paris)[0]!.sendDate).toBe('2026-03-09');
  });

  it('a negative delay gives a courtesy reminder before the due date', () => {
    const courtesy: StepRule[] = [{ level: 1, name: 'Courtesy', delayDays: -3, isFinal: false }, ...steps.map((s) => ({ ...s, level: s.level + 1 }))];
    expect(upcomingSteps(courtesy, '2026-06-12', { level: 0, lastDate: null }, paris)[0]!.sendDate).toBe('2026-06-09');
  });
});

describe('mass follow-up colours', () => {
  it('blue when not due, orange within the due-soon window, red once overdue', () => {
    expect(rowColour('2026-12-31', '2026-11-23', 7)).toBe('blue');
    expect(rowColour('2026-11-30', '2026-11-23', 7)).toBe('orange');
    expect(rowColour('2026-11-23', '2026-11-23', 7)).toBe('orange');
    expect(rowColour('2026-11-22', '2026-11-23', 7)).toBe('red');
    expect(makeDate(2026, 2, 30)).toBe('2026-03-02');
  });
});

describe('promise to pay', () => {
  const promise = { id: 1, amountCents: 30_000, promisedOn: '2026-12-10', balanceCents: 100_000 };
  it('waits through the promised date, is broken the day after, and is kept once the balance is down by the amount', () => {
    expect(promiseState(promise, 100_000, '2026-12-10')).toBe('waiting');
    expect(promiseState(promise, 100_000, '2026-12-11')).toBe('broken');
    expect(promiseState(promise, 80_000, '2026-12-11')).toBe('broken');
    // Two partial payments reaching the amount keep it, even after the date.
    expect(promiseState(promise, 70_000, '2026-12-11')).toBe('kept');
    expect(promiseState(promise, 0, '2026-12-01')).toBe('kept');
  });
});

describe('a returned direct debit', () => {
  const steps: StepRule[] = [
    { level: 1, name: 'R1', delayDays: 0, isFinal: false },
    { level: 2, name: 'R2', delayDays: 15, isFinal: false },
    { level: 3, name: 'R3', delayDays: 15, isFinal: false },
  ];
  const progress = { level: 1, lastDate: '2026-11-02' };
  it('brings the next step forward to the day it came back, never later than planned, and the rest follow from there', () => {
    expect(upcomingSteps(steps, '2026-11-02', progress, paris).map((s) => s.sendDate)).toEqual(['2026-11-17', '2026-12-02']);
    expect(upcomingSteps(steps, '2026-11-02', { ...progress, bringForwardTo: '2026-11-10' }, paris).map((s) => s.sendDate)).toEqual(['2026-11-10', '2026-11-25']);
    expect(upcomingSteps(steps, '2026-11-02', { ...progress, bringForwardTo: '2026-11-20' }, paris)[0]!.sendDate).toBe('2026-11-17');
  });
});
