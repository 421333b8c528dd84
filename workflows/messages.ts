import { defineQuery, defineSignal, defineUpdate } from '@temporalio/workflow';
import type { IsoDate } from './schedule/calendar-date.js';
import type { DunningHold } from './schedule/dunnable.js';

export type DunningStatus = 'scheduled' | 'held' | 'blocked' | 'paid' | 'cancelled' | 'litigation' | 'completed' | 'stopped';

export interface DunningState {
  invoiceId: number;
  status: DunningStatus;
  level: number;
  lastDate: IsoDate | null;
  hold: DunningHold | null;
  next: { level: number; name: string; sendDate: IsoDate; sendAt: string } | null;
  /** Why the last attempt could not be delivered (no e-mail address, recipient rejected). */
  blockedReason: string | null;
}

export interface SendNowRequest {
  /** Defaults to the level after the last one performed. */
  level?: number;
  note?: string;
  actor: string;
  /** Defaults to the step's channel. */
  channel?: 'email' | 'letter';
  /** Defaults to the step's "attach the invoice PDF". */
  attachPdf?: boolean;
  /** The bulk run that asks, recorded on the reminder so the run can gather its letters. */
  runId?: number;
  /** A person's choice of the next reminder's date; it replaces the next step's computed date. */
  nextPlannedOn?: IsoDate;
  /**
   * Send from the workflow's own task instead of the e-mail task queue: set by bulk runs when no
   * e-mail ceiling applies (the ceiling is that queue's rate limit), it saves each reminder the
   * server round trips of a regular activity.
   */
  sendInline?: boolean;
  /**
   * Set by bulk runs: true sends the invoice's step only if it is due today ("computed follow-up"),
   * false sends the next level now even if it is not yet due (the run's explicit "send early").
   */
  onlyIfDue?: boolean;
  /** The user who asks (a person, or the author of a bulk run): their own template version is used. */
  userId?: number;
  /** Set by bulk runs: an invoice already reminded today is left out (the invoice page may force it). */
  oncePerDay?: boolean;
}

/** Why an asked-for reminder was not sent, beyond the invoice's holds. */
export type SkipReason = DunningHold | 'not_due' | 'reminded_today';

export type ReminderOutcome =
  | { status: 'sent'; level: number; reminderId: number; sentOn: IsoDate }
  /** A letter rendered and stored: it counts as sent once downloaded for printing. */
  | { status: 'prepared'; level: number; reminderId: number }
  | { status: 'failed'; level: number; reminderId: number; reason: string }
  | { status: 'skipped'; level: number; hold: SkipReason; dueOn?: IsoDate }
  /** The request itself was wrong (no step at that level); nothing was recorded. */
  | { status: 'refused'; level: number; reason: string };

export interface PauseRequest {
  reason: string;
  actor: string;
}

/** Wakes the workflow after a payment was written to the database. */
export const paymentRecordedSignal = defineSignal<[{ paymentId: number }]>('paymentRecorded');
/** Wakes the workflow after its invoice or customer changed (amounts, e-mail addresses…). */
export const invoiceChangedSignal = defineSignal('invoiceChanged');
/** Steps were edited: the change applies from the next step on. */
export const stepsChangedSignal = defineSignal('stepsChanged');
export const pauseUpdate = defineUpdate<DunningState, [PauseRequest]>('pause');
export const resumeUpdate = defineUpdate<DunningState, [{ actor: string }]>('resume');
export const sendNowUpdate = defineUpdate<ReminderOutcome, [SendNowRequest]>('sendNow');
export const stateQuery = defineQuery<DunningState>('state');

/** What became of an invoice's level in its customer's statement. */
export interface StatementOutcome {
  level: number;
  status: 'sent' | 'skipped' | 'failed';
  reason: string | null;
}
/** The statement the invoice waited in was sent (or could not be): the invoice reloads its level. */
export const statementOutcomeSignal = defineSignal<[StatementOutcome]>('statementOutcome');
/** Another invoice of the customer joined the gathering statement. */
export const statementJoinedSignal = defineSignal('statementJoined');
