import { dunningHold, isFinalHold, type DunnableFacts, type DunningHold } from './dunnable.js';
import { stepDue, upcomingSteps, type CatchUp, type PlannedStep, type Progress, type SendSettings, type StepRule } from './plan.js';
import { promiseState } from './promise.js';
import { localDate } from './zoned-time.js';

/**
 * Everything "what is sent next" is decided from, for one invoice: loaded the same way for the
 * workflow, the invoice page, the mass follow-up and the daily review (db/queries/dunning-facts.ts).
 */
export interface DunningFacts {
  invoiceId: number;
  number: string;
  customerRef: string;
  dunnable: DunnableFacts;
  /** The invoice's due date, or that of its first installment not yet covered by payments. */
  dueDate: string | null;
  steps: StepRule[];
  settings: SendSettings;
  progress: Progress;
  /** Due levels join the customer's statement instead of going out alone. */
  statementMode: boolean;
  /** Under a policy that needs approval, the levels finance approved or held in a review pass. */
  approval: { approved: number[]; held: number[] } | null;
  /** Absent from facts recorded before the policy setting existed: they caught up to the level reached. */
  catchUp?: CatchUp;
}

/** The one answer to "what happens next for this invoice", at a given instant. */
export type NextAction =
  /** Paid or cancelled: dunning is over. */
  | { kind: 'ended'; status: 'paid' | 'cancelled' | 'stopped' }
  /** A promise to pay was kept or broken: it is written down, then the invoice is judged again. */
  | { kind: 'settle_promise'; promiseId: number; outcome: 'kept' | 'broken' }
  /** Not chased for now; `next` is the step that will follow once the hold ends. */
  | { kind: 'held'; hold: DunningHold; next: PlannedStep | null }
  /** Due, but its policy waits for the day's review to approve it (or finance held it back). */
  | { kind: 'awaiting_approval'; step: PlannedStep; heldInReview: boolean }
  /** Due, and sent with the customer's other reminders of the day as one statement. */
  | { kind: 'join_statement'; step: PlannedStep }
  /** Due now. */
  | { kind: 'send'; step: PlannedStep }
  /** Nothing due: the next step and when it goes out. */
  | { kind: 'wait'; step: PlannedStep }
  /** Every step performed: the invoice goes to litigation (its last step was final) or is left as is. */
  | { kind: 'finished'; status: 'litigation' | 'completed' }
  /** Nothing to plan: no steps, or no due date. */
  | { kind: 'idle' };

const catchUpOf = (facts: DunningFacts): CatchUp => facts.catchUp ?? 'reached_level_final';

/** The steps still ahead, with their dates, as the workflow will send them. */
export function forecast(facts: DunningFacts, nowMs: number): PlannedStep[] {
  if (!facts.dueDate || nextAction(facts, nowMs).kind === 'ended') return [];
  const today = catchUpOf(facts) === 'first_step' ? localDate(nowMs, facts.settings.timeZone) : undefined;
  return upcomingSteps(facts.steps, facts.dueDate, facts.progress, facts.settings, today);
}

export function nextAction(facts: DunningFacts, nowMs: number): NextAction {
  const today = localDate(nowMs, facts.settings.timeZone);
  const { promise, balanceCents } = facts.dunnable;
  const promised = promise ? promiseState(promise, balanceCents, today) : null;
  if (promise && promised && promised !== 'waiting') return { kind: 'settle_promise', promiseId: promise.id, outcome: promised };
  const hold = dunningHold(facts.dunnable, today);
  if (isFinalHold(hold)) return { kind: 'ended', status: hold };
  const due = facts.dueDate ? stepDue(facts.steps, facts.dueDate, facts.progress, facts.settings, nowMs, catchUpOf(facts)) : { reached: null, next: null };
  if (hold) return { kind: 'held', hold, next: due.reached ?? due.next };
  if (due.reached) {
    const level = due.reached.level;
    if (facts.approval && !facts.approval.approved.includes(level)) return { kind: 'awaiting_approval', step: due.reached, heldInReview: facts.approval.held.includes(level) };
    return facts.statementMode ? { kind: 'join_statement', step: due.reached } : { kind: 'send', step: due.reached };
  }
  const lastStep = facts.steps.at(-1);
  if (lastStep && facts.progress.level >= lastStep.level) return { kind: 'finished', status: lastStep.isFinal ? 'litigation' : 'completed' };
  return due.next ? { kind: 'wait', step: due.next } : { kind: 'idle' };
}

/** The step that goes out now, if the action sends one (alone, in a statement, or once approved). */
export function dueStepOf(action: NextAction): PlannedStep | null {
  return action.kind === 'send' || action.kind === 'join_statement' || action.kind === 'awaiting_approval' ? action.step : null;
}
