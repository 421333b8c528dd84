import { CancelledFailure, Context } from '@temporalio/activity';
import { stopRequestedCheck } from '../services/stop-requested.js';
import { WorkflowNotFoundError, WorkflowUpdateFailedError, type Client } from '@temporalio/client';
import type { Sql } from '../db/client.js';
import { bulkRunById, bulkRunCancelRequested, cancelBulkRun, finishBulkRun, lastRunPosition, recordItemOutcomes, runItemsFrom, runSlice, type ItemAnswer, type RunItem } from '../db/queries/bulk-runs.js';
import { groupedWrites } from '../services/grouped-writes.js';
import { dunningWorkflowId } from '../workflows/ids.js';
import { sendNowUpdate, type ReminderOutcome } from '../workflows/messages.js';
import { eachConcurrently } from '../workflows/each-concurrently.js';

export interface RunRequest {
  forcedLevel: number | null;
  /** Absent from runs started before it existed: those sent each invoice's next level, due or not. */
  sendEarly?: boolean;
  channel: 'step' | 'email' | 'letter';
  attachPdf: boolean;
  actor: string;
  /** The run's author: their own template versions are used (absent from runs started before). */
  userId?: number;
}

export interface AskInvoiceInput extends RunRequest {
  runId: number;
  invoiceId: number;
  /** This invoice's own channel, chosen in the mass follow-up. */
  itemChannel?: 'email' | 'letter' | null;
}

export interface AskSliceInput extends RunRequest {
  runId: number;
  /** The slice: the items whose position is after `after`, up to `upTo` included. */
  after: number;
  upTo: number;
  /** Invoices of the slice asked at once. */
  lanes: number;
}

type AskAnswer = ReminderOutcome['status'] | 'ended';

const NEVER_ABORTED = new AbortController().signal;
// The answers of a slice's asks go to the database together a few times a second: the progress
// bar still moves, and a run costs a statement a window instead of one an invoice.
const ANSWERS_WINDOW_MS = 250;

export function createBulkRunActivities({ sql, temporal, sendsPerSecond }: { sql: Sql; temporal: Client; sendsPerSecond?: number }) {
  /**
   * Asks one invoice's workflow to act: it alone owns the invoice's level. The update's id makes
   * a retried ask (after a crash) return the first answer instead of acting twice.
   */
  async function ask(input: AskInvoiceInput, recordAnswer: (answer: ItemAnswer) => Promise<void>): Promise<AskAnswer> {
    const { runId, invoiceId } = input;
    const record = (outcome: ItemAnswer['outcome'], level: number | null, reason: string | null, reminderId: number | null = null) =>
      recordAnswer({ invoiceId, outcome, level, reason, reminderId });
    try {
      // An ask under way finishes even when the run is cancelled: aborted, it would leave a reminder
      // sent and its item without an answer (the worker aborts an activity's calls on cancel).
      const outcome = await temporal.withAbortSignal(NEVER_ABORTED, () => temporal.workflow.getHandle(dunningWorkflowId(invoiceId)).executeUpdate(sendNowUpdate, {
        updateId: `bulk-run-${runId}-invoice-${invoiceId}`,
        args: [{
          actor: input.actor, runId, ...(input.userId !== undefined ? { userId: input.userId } : {}),
          ...(input.forcedLevel !== null ? { level: input.forcedLevel } : { onlyIfDue: !(input.sendEarly ?? true) }),
          oncePerDay: true,
          ...(input.itemChannel ? { channel: input.itemChannel } : input.channel !== 'step' ? { channel: input.channel } : {}),
          attachPdf: input.attachPdf,
          sendInline: !sendsPerSecond,
        }],
      }));
      switch (outcome.status) {
        case 'sent':
        case 'prepared':
          await record(outcome.status, outcome.level, null, outcome.reminderId);
          break;
        case 'failed':
          await record('failed', outcome.level, outcome.reason, outcome.reminderId);
          break;
        case 'skipped':
          await record('skipped', outcome.level, outcome.dueOn ? `${outcome.hold}: next step on ${outcome.dueOn}` : outcome.hold);
          break;
        case 'refused':
          await record('refused', outcome.level, outcome.reason);
      }
      return outcome.status;
    } catch (err) {
      // The workflow refused the request (dunning ended, level already done), or it is not running.
      if (err instanceof WorkflowUpdateFailedError) {
        await record('refused', input.forcedLevel, err.cause?.message ?? err.message);
        return 'refused';
      }
      if (err instanceof WorkflowNotFoundError || /already completed/i.test((err as Error).message)) {
        await record('skipped', input.forcedLevel, 'dunning has ended for this invoice (paid or cancelled)');
        return 'ended';
      }
      throw err;
    }
  }

  /** Beats while `work` runs, so a worker that died with it is noticed within the heartbeat timeout. */
  async function beating<R>(work: Promise<R>): Promise<R> {
    const beat = setInterval(() => Context.current().heartbeat(), 5_000);
    try {
      return await work;
    } finally {
      clearInterval(beat);
    }
  }

  return {
    async loadRun(runId: number): Promise<RunRequest & { lastPosition: number }> {
      const run = await bulkRunById(sql, runId);
      if (!run) throw new Error(`bulk run ${runId} does not exist`);
      return {
        forcedLevel: run.forcedLevel, sendEarly: run.sendEarly, channel: run.channel, attachPdf: run.attachPdf, actor: run.createdBy ?? 'bulk run', ...(run.createdById !== null ? { userId: run.createdById } : {}),
        lastPosition: await lastRunPosition(sql, runId),
      };
    },

    /** Runs started before asks went by slices replay with these two. */
    async runItems(input: { runId: number; after: number; limit: number }): Promise<RunItem[]> {
      return runItemsFrom(sql, input.runId, input.after, input.limit);
    },
    async askInvoice(input: AskInvoiceInput): Promise<AskAnswer> {
      return beating(ask(input, (answer) => recordItemOutcomes(sql, input.runId, [answer])));
    },

    /**
     * Asks a slice of the run's invoices, a few at a time, recording the answers as they come, a
     * window's together, so the progress bar moves; one activity for many asks spares the server
     * a task per invoice.
     * A slice retried after a crash asks only the invoices still unanswered. Returns its size.
     */
    async askInvoices(input: AskSliceInput): Promise<number> {
      const { after, upTo, lanes, ...request } = input;
      const items = await runSlice(sql, input.runId, after, upTo);
      const unanswered = items.filter((item) => !item.answered);
      // A cancelled run asks no further invoice (cancelled in Temporal, or asked for on the run's
      // page); the asks under way finish and record their answer.
      const cancelled = Context.current().cancellationSignal;
      const stopped = stopRequestedCheck(() => bulkRunCancelRequested(sql, input.runId));
      const answers = groupedWrites((rows: ItemAnswer[]) => recordItemOutcomes(sql, input.runId, rows), { windowMs: ANSWERS_WINDOW_MS });
      // A lane asks its next invoice while its answer waits for the window; the slice ends once all are written.
      const written: Promise<void>[] = [];
      const recordAnswer = async (answer: ItemAnswer) => {
        const row = answers.write(answer);
        // Awaited below with the others; a failure is never an unhandled rejection meanwhile.
        row.catch(() => undefined);
        written.push(row);
      };
      try {
        await beating(eachConcurrently(unanswered, async (item) => {
          if (!cancelled.aborted && !(await stopped())) await ask({ ...request, invoiceId: item.invoiceId, itemChannel: item.channel }, recordAnswer);
        }, undefined, lanes));
      } finally {
        answers.flush();
      }
      await beating(Promise.all(written));
      if (cancelled.aborted) throw new CancelledFailure('the run was cancelled');
      return items.length;
    },

    async cancelRun(runId: number): Promise<void> {
      await cancelBulkRun(sql, runId);
    },

    async finishRun(runId: number): Promise<void> {
      await finishBulkRun(sql, runId);
    },
  };
}
