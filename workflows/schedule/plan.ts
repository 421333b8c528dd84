import { addDays, type IsoDate } from './calendar-date.js';
import { nextBusinessDay } from './business-days.js';
import { instantAt } from './zoned-time.js';

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
 * The forecast of the remaining steps. Each counts from the previous one's send day (the first
 * from the last performed step, or from the due date), and is moved to the next business day.
 */
export function upcomingSteps(steps: StepRule[], dueDate: IsoDate, progress: Progress, settings: SendSettings): PlannedStep[] {
  const remaining = [...steps].sort((a, b) => a.level - b.level).filter((s) => s.level > progress.level);
  let reference = progress.lastDate ?? dueDate;
  return remaining.map((s, i) => {
    const planned = i === 0 && progress.nextPlannedOn ? progress.nextPlannedOn : addDays(reference, s.delayDays);
    const nominalDate = i === 0 && progress.bringForwardTo && progress.bringForwardTo < planned ? progress.bringForwardTo : planned;
    const sendDate = nextBusinessDay(nominalDate, settings.country);
    reference = sendDate;
    return {
      level: s.level,
      name: s.name,
      isFinal: s.isFinal,
      nominalDate,
      sendDate,
      sendAt: instantAt(sendDate, settings.sendHour, settings.timeZone),
    };
  });
}

/**
 * What is owed at `nowMs`: the highest step already reached (an invoice that comes in weeks late
 * gets only the level it has reached, not every missed one) and the first step still ahead.
 */
export function stepDue(
  steps: StepRule[],
  dueDate: IsoDate,
  progress: Progress,
  settings: SendSettings,
  nowMs: number,
): { reached: PlannedStep | null; next: PlannedStep | null } {
  const plan = upcomingSteps(steps, dueDate, progress, settings);
  const reached = plan.filter((p) => p.sendAt <= nowMs).at(-1) ?? null;
  const next = plan.find((p) => p.sendAt > nowMs) ?? null;
  return { reached, next };
}
