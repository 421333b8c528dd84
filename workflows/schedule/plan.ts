import { addDays, type IsoDate } from './calendar-date.js';
import { nextBusinessDay } from './business-days.js';
import { instantAt, localDate } from './zoned-time.js';

export interface StepRule {
  level: number;
  name: string;
  delayDays: number;
  isFinal: boolean;
}

export interface SendSettings {
  timeZone: string;
  sendHour: number;
  country: string;
}

/** Where an invoice's dunning stands: the last level performed and the day it was performed. */
export interface Progress {
  level: number;
  lastDate: IsoDate | null;
  /** A next date chosen by a person on a manual reminder; it replaces the next step's computed date. */
  nextPlannedOn?: IsoDate | null;
  /** The next step goes out no later than this day (a direct debit came back that day). */
  bringForwardTo?: IsoDate | null;
  /** A promise to pay was kept this day: the next step counts its delay from it, and not on that day. */
  restartFrom?: IsoDate | null;
}

export interface PlannedStep {
  level: number;
  name: string;
  isFinal: boolean;
  /** Reference date + delay, before the business-day shift. */
  nominalDate: IsoDate;
  /** The business day it goes out. */
  sendDate: IsoDate;
  /** UTC epoch ms of the send hour on sendDate in the company's time zone. */
  sendAt: number;
}

/**
 * How an invoice that enters the dunning late catches up (a policy setting):
 * - `first_step`: it gets the first step at once, then each next step its delay after the one
 *   before actually went out (source 000: steps are "x days after the previous step");
 * - `reached_level`: it gets the highest level its dates have reached, but never the final step
 *   (the formal notice) as its very first reminder;
 * - `reached_level_final`: the same, the final step included.
 */
export type CatchUp = 'first_step' | 'reached_level' | 'reached_level_final';
export const CATCH_UP_MODES: readonly CatchUp[] = ['first_step', 'reached_level', 'reached_level_final'];

/**
 * The forecast of the remaining steps. Each counts from the previous one's send day (the first
 * from the last performed step, or from the due date), is moved to the next business day, and
 * never shares a day with the level before it. With `today` (catching up from the first step), a
 * step whose day has passed is due at once, goes out today, and the next ones count from today.
 */
export function upcomingSteps(steps: StepRule[], dueDate: IsoDate, progress: Progress, settings: SendSettings, today?: IsoDate): PlannedStep[] {
  const remaining = [...steps].sort((a, b) => a.level - b.level).filter((s) => s.level > progress.level);
  const restart = progress.restartFrom && (!progress.lastDate || progress.restartFrom > progress.lastDate) ? progress.restartFrom : null;
  let reference = restart ?? progress.lastDate ?? dueDate;
  let previousSend = restart ?? progress.lastDate;
  return remaining.map((s, i) => {
    const computed = addDays(reference, s.delayDays);
    const chosen = i === 0 && progress.nextPlannedOn ? progress.nextPlannedOn : computed;
    // A date chosen by hand before the promise was kept still waits the step's delay after it.
    const planned = restart && i === 0 && chosen < computed ? computed : chosen;
    const nominalDate = i === 0 && progress.bringForwardTo && progress.bringForwardTo < planned ? progress.bringForwardTo : planned;
    const onTime = nextBusinessDay(nominalDate, settings.country);
    // Catching up: a step whose day has passed is overdue and goes out at once, today.
    const overdue = today !== undefined && onTime < today;
    let sendDate = overdue ? today : onTime;
    // One level a day at most: a step that would share its day with the one before waits a business day.
    const sameDay = previousSend !== null && sendDate <= previousSend;
    if (sameDay) sendDate = nextBusinessDay(addDays(previousSend!, 1), settings.country);
    reference = sendDate;
    previousSend = sendDate;
    return {
      level: s.level,
      name: s.name,
      isFinal: s.isFinal,
      nominalDate,
      sendDate,
      sendAt: instantAt(overdue && !sameDay ? onTime : sendDate, settings.sendHour, settings.timeZone),
    };
  });
}

/**
 * What is owed at `nowMs`: the step to send now, if any, and the first step still ahead. Catching
 * up from the first step, only the next level can be due; catching up to the level reached, the
 * highest level whose date has passed (an invoice that comes in weeks late gets that one alone,
 * not every missed one), the final step only when the policy says so or after another reminder.
 */
export function stepDue(
  steps: StepRule[],
  dueDate: IsoDate,
  progress: Progress,
  settings: SendSettings,
  nowMs: number,
  catchUp: CatchUp = 'reached_level_final',
): { reached: PlannedStep | null; next: PlannedStep | null } {
  if (catchUp === 'first_step') {
    const [first, second] = upcomingSteps(steps, dueDate, progress, settings, localDate(nowMs, settings.timeZone));
    if (!first) return { reached: null, next: null };
    return first.sendAt <= nowMs ? { reached: first, next: second ?? null } : { reached: null, next: first };
  }
  const plan = upcomingSteps(steps, dueDate, progress, settings);
  const passed = plan.filter((p) => p.sendAt <= nowMs);
  const firstReminder = progress.level === 0;
  const reached = (catchUp === 'reached_level' && firstReminder ? passed.filter((p) => !p.isFinal || p === plan[0]) : passed).at(-1) ?? null;
  const next = plan.find((p) => p.sendAt > nowMs && (!reached || p.level > reached.level)) ?? null;
  return { reached, next };
}
