import { describe, expect, it } from 'vitest';
import { askedReminder } from '../../workflows/asked-reminder.js';
import type { NextAction } from '../../workflows/schedule/next-action.js';

// The one rule for a person's or a bulk run's ask: the workflow and the activity that judges an
// ask on fresh facts both call it, so a run never sends what the invoice page would refuse.
const step = (level: number, sendDate: string) => ({ level, name: `Relance ${level}`, isFinal: false, nominalDate: sendDate, sendDate, sendAt: Date.parse(`${sendDate}T08:00:00Z`) });
const waiting: NextAction = { kind: 'wait', step: step(2, '2026-12-15') };
const due: NextAction = { kind: 'send', step: step(2, '2026-12-02') };
const paused: NextAction = { kind: 'held', hold: 'paused', next: step(2, '2026-12-15') };

describe('askedReminder', () => {
  it("answers a person's ask on a held invoice at once, with the hold", () => {
    expect(askedReminder({ actor: 'alice' }, paused, 1, false)).toEqual({ answer: { status: 'skipped', level: 2, hold: 'paused' } });
  });

  it("sends a person's ask for the next level, or the level they chose, with their note", () => {
    expect(askedReminder({ actor: 'alice', note: 'Appel fait' }, waiting, 1, false)).toEqual({ perform: expect.objectContaining({ level: 2, actor: 'alice', note: 'Appel fait' }) });
    expect(askedReminder({ actor: 'alice', level: 4 }, waiting, 1, false)).toEqual({ perform: expect.objectContaining({ level: 4, note: null }) });
  });

  it("leaves a run's ask on a held invoice to the activity, which gives a retried ask its first answer", () => {
    expect(askedReminder({ actor: 'run', runId: 7, oncePerDay: true }, paused, 1, true)).toEqual({ perform: expect.objectContaining({ level: 2, runId: 7, oncePerDay: true }) });
  });

  it('a computed run sends the step that is due, and says when a step not yet due will be', () => {
    expect(askedReminder({ actor: 'run', runId: 7, onlyIfDue: true }, due, 1, true)).toEqual({ perform: expect.objectContaining({ level: 2 }) });
    const early = askedReminder({ actor: 'run', runId: 7, onlyIfDue: true }, waiting, 1, true);
    expect(early).toEqual({ perform: expect.objectContaining({ notDue: { dueOn: '2026-12-15' } }) });
  });

  it('a run that sends early, or forces a level, is not held back by the due date', () => {
    const performed = (asked: ReturnType<typeof askedReminder>) => ('perform' in asked ? asked.perform : undefined);
    const early = performed(askedReminder({ actor: 'run', runId: 7, onlyIfDue: false }, waiting, 1, true));
    const forced = performed(askedReminder({ actor: 'run', runId: 7, level: 3, onlyIfDue: true }, waiting, 1, true));
    expect([early?.level, early?.notDue, forced?.level, forced?.notDue]).toEqual([2, undefined, 3, undefined]);
  });
});
