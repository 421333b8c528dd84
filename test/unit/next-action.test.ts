import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { dueStepOf, forecast, nextAction, type DunningFacts } from '../../workflows/schedule/next-action.js';
import { addDays, CATCH_UP_MODES, instantAt, localDate, stepDue, upcomingSteps, type StepRule } from '../../workflows/schedule/index.js';

// The one planner (issue 16): the invoice page's forecast, the mass follow-up's row, the daily
// review's line and the workflow all call it on the same facts; these properties hold it together.
const paris = { timeZone: 'Europe/Paris', sendHour: 9, country: 'FR' };
const isoDate = fc.date({ min: new Date('2020-01-01T00:00:00Z'), max: new Date('2035-12-31T00:00:00Z'), noInvalidDate: true })
  .map((d) => d.toISOString().slice(0, 10));
const defaultSteps: StepRule[] = [
  { level: 1, name: 'Relance 1', delayDays: 0, isFinal: false },
  { level: 2, name: 'Relance 2', delayDays: 15, isFinal: false },
  { level: 3, name: 'Relance 3', delayDays: 15, isFinal: false },
  { level: 4, name: 'Mise en demeure', delayDays: 15, isFinal: true },
];

const stepsArb = fc.array(fc.integer({ min: -5, max: 30 }), { minLength: 1, maxLength: 5 }).map((delays) =>
  delays.map((delayDays, i) => ({ level: i + 1, name: `Step ${i + 1}`, delayDays, isFinal: i === delays.length - 1 })),
);

/** Invoices as they come: any due date, any history, holds, statement mode, approvals, catch-up rule. */
const factsArb = fc.record({
  steps: stepsArb,
  dueDate: isoDate,
  level: fc.integer({ min: 0, max: 5 }),
  lastDaysAfterDue: fc.integer({ min: -3, max: 120 }),
  catchUp: fc.constantFrom(...CATCH_UP_MODES),
  paused: fc.boolean(),
  disputed: fc.boolean(),
  statementMode: fc.boolean(),
  approvalLevels: fc.option(fc.array(fc.integer({ min: 1, max: 5 }), { maxLength: 3 })),
  keptDaysAfterDue: fc.option(fc.integer({ min: -3, max: 120 })),
  nowDaysAfterDue: fc.integer({ min: -10, max: 200 }),
  nowHour: fc.integer({ min: 0, max: 23 }),
}).map((g) => {
  const level = Math.min(g.level, g.steps.length);
  const facts: DunningFacts = {
    invoiceId: 1, number: 'F-1', customerRef: 'C-1',
    dunnable: {
      status: 'open', balanceCents: 10_000, paused: g.paused, customerPaused: false, excluded: false, minimumBalanceCents: 0,
      letterToPrint: false, collectionPending: false, disputed: g.disputed, promise: null, inStatement: false,
    },
    dueDate: g.dueDate, steps: g.steps, settings: paris,
    progress: {
      level, lastDate: level > 0 ? addDays(g.dueDate, g.lastDaysAfterDue) : null,
      restartFrom: g.keptDaysAfterDue === null ? null : addDays(g.dueDate, g.keptDaysAfterDue),
    },
    statementMode: g.statementMode,
    approval: g.approvalLevels ? { approved: g.approvalLevels, held: [] } : null,
    catchUp: g.catchUp,
  };
  const now = instantAt(addDays(g.dueDate, Math.max(g.nowDaysAfterDue, g.level > 0 ? g.lastDaysAfterDue : -10, g.keptDaysAfterDue ?? -10)), g.nowHour, 'Europe/Paris');
  return { facts, now };
});

describe('the one planner', () => {
  it("the page's forecast, the row's next action and the workflow's decision name the same step and date", () => {
    fc.assert(fc.property(factsArb, ({ facts, now }) => {
      const action = nextAction(facts, now);
      const ahead = forecast(facts, now);
      const step = dueStepOf(action) ?? (action.kind === 'wait' ? action.step : null);
      if (facts.catchUp === 'first_step' && step) {
        // Catching up from the first step, what the workflow sends or waits for is the forecast's first line.
        expect(step).toEqual(ahead[0]);
      }
      if (action.kind === 'wait') expect(action.step.sendAt).toBeGreaterThan(now);
      if (dueStepOf(action)) expect(dueStepOf(action)!.sendAt).toBeLessThanOrEqual(now);
      if (facts.dunnable.paused || facts.dunnable.disputed) expect(action.kind).toBe('held');
    }), { numRuns: 2_000 });
  });

  it("the review line of a day is what the workflow sends when it wakes that day", () => {
    fc.assert(fc.property(factsArb, ({ facts, now }) => {
      const waiting = nextAction(facts, now);
      if (waiting.kind !== 'wait') return;
      const passDate = waiting.step.sendDate;
      const reviewed = dueStepOf(nextAction(facts, instantAt(passDate, paris.sendHour, paris.timeZone)));
      // Woken by its timer at the step's instant, the workflow acts on the same step.
      const woken = dueStepOf(nextAction(facts, waiting.step.sendAt));
      expect(reviewed?.level).toBe(waiting.step.level);
      expect(woken?.level).toBe(waiting.step.level);
    }), { numRuns: 2_000 });
  });

  it('never plans two levels on one day, nor a level on the day the last one went out', () => {
    fc.assert(fc.property(stepsArb, isoDate, fc.option(fc.integer({ min: 0, max: 60 })), (steps, due, lastAfter) => {
      const progress = lastAfter === null ? { level: 0, lastDate: null } : { level: 1, lastDate: addDays(due, lastAfter) };
      const plan = upcomingSteps(steps, due, progress, paris);
      plan.forEach((p, i) => {
        if (i > 0) expect(p.sendDate > plan[i - 1]!.sendDate).toBe(true);
        if (progress.lastDate) expect(p.sendDate > progress.lastDate).toBe(true);
      });
    }), { numRuns: 1_000 });
  });
});

describe('a kept promise', () => {
  it('is never answered with a reminder on its own day: the next step counts its delay from it', () => {
    fc.assert(fc.property(factsArb, ({ facts, now }) => {
      const kept = facts.progress.restartFrom;
      if (!kept || (facts.progress.lastDate && kept <= facts.progress.lastDate)) return;
      const [next] = forecast(facts, now);
      if (!next) return;
      expect(next.sendDate > kept).toBe(true);
      const step = facts.steps.find((s) => s.level === next.level)!;
      expect(next.nominalDate >= addDays(kept, step.delayDays)).toBe(true);
    }), { numRuns: 2_000 });
  });
});

describe('an invoice entering late', () => {
  it('starts with the first reminder at once, then each next step its delay after the one before, whatever the lateness', () => {
    fc.assert(fc.property(isoDate, fc.integer({ min: 1, max: 400 }), fc.integer({ min: 0, max: 23 }), (due, lateDays, hour) => {
      const now = instantAt(addDays(due, lateDays), hour, 'Europe/Paris');
      const today = localDate(now, 'Europe/Paris');
      const { reached, next } = stepDue(defaultSteps, due, { level: 0, lastDate: null }, paris, now, 'first_step');
      if (!reached) {
        // Not reached yet: only when the first step's business day is still ahead.
        expect(next?.level).toBe(1);
        return;
      }
      expect(reached.level).toBe(1);
      expect(next?.level).toBe(2);
      expect(next!.sendDate > today).toBe(true);
      expect(next!.nominalDate).toBe(addDays(reached.sendDate, 15));
    }), { numRuns: 1_000 });
  });

  it('catching up to the level reached, never gets the formal notice first unless the policy includes it', () => {
    const due = '2026-01-05';
    const now = instantAt('2026-06-01', 12, 'Europe/Paris');
    expect(stepDue(defaultSteps, due, { level: 0, lastDate: null }, paris, now, 'reached_level').reached?.level).toBe(3);
    expect(stepDue(defaultSteps, due, { level: 0, lastDate: null }, paris, now, 'reached_level_final').reached?.level).toBe(4);
    // After a first reminder the formal notice follows its own delay, as any step.
    expect(stepDue(defaultSteps, due, { level: 3, lastDate: '2026-05-01' }, paris, now, 'reached_level').reached?.level).toBe(4);
  });
});
