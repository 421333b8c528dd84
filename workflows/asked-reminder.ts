import type { ReminderOutcome, SendNowRequest } from './messages.js';
import { dueStepOf, type NextAction } from './schedule/next-action.js';

/** The reminder an ask performs, as the reminder activity takes it (its invoice and instant aside). */
export interface AskedReminderInput {
  level: number;
  actor: string;
  note: string | null;
  channel?: 'email' | 'letter';
  attachPdf?: boolean;
  runId?: number;
  nextPlannedOn?: string;
  userId?: number;
  notDue?: { dueOn?: string };
  oncePerDay?: boolean;
}

/**
 * What a person's or a bulk run's ask comes to, judged on the invoice's next action: an answer
 * at once (held), or the reminder to perform. A bulk run's computed level goes out only when it
 * is due (unless the run says to send early), and a run never gives an invoice two levels on one
 * day; the invoice page and the API may force both. One rule for the workflow and the activity
 * that judges an ask on fresh facts.
 */
export function askedReminder(
  request: SendNowRequest, action: NextAction, levelReached: number, judgedByActivity: boolean,
): { answer: ReminderOutcome } | { perform: AskedReminderInput } {
  const level = request.level ?? levelReached + 1;
  // A run's ask goes to the activity even when held: retried after a crash, it finds the letter
  // or e-mail its first try prepared (which now holds the invoice) and answers with it.
  if (action.kind === 'held' && !judgedByActivity) return { answer: { status: 'skipped', level, hold: action.hold } };
  // The run's guards are judged by the activity, which first gives a retried ask its first answer.
  const dueStep = request.onlyIfDue && request.level === undefined ? dueStepOf(action) : undefined;
  const notDue = dueStep === null ? { notDue: action.kind === 'wait' ? { dueOn: action.step.sendDate } : {} } : {};
  return {
    perform: {
      level: dueStep?.level ?? level, actor: request.actor, note: request.note ?? null,
      channel: request.channel, attachPdf: request.attachPdf, runId: request.runId, nextPlannedOn: request.nextPlannedOn, userId: request.userId,
      ...notDue, ...(request.oncePerDay ? { oncePerDay: true } : {}),
    },
  };
}
