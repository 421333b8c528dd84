import { Context } from '@temporalio/activity';
import { WorkflowNotFoundError, WorkflowUpdateFailedError, type Client } from '@temporalio/client';
import type { Sql } from '../db/client.js';
import { bulkRunById, finishBulkRun, recordItemOutcome, runItemsFrom, type RunItem } from '../db/queries/bulk-runs.js';
import { dunningWorkflowId } from '../workflows/ids.js';
import { sendNowUpdate, type ReminderOutcome } from '../workflows/messages.js';


export interface AskInvoiceInput {
  runId: number;
  invoiceId: number;
  forcedLevel: number | null;
  channel: 'step' | 'email' | 'letter';
  attachPdf: boolean;
  actor: string;
}

export function createBulkRunActivities({ sql, temporal }: { sql: Sql; temporal: Client }) {
  return {
    async loadRun(runId: number): Promise<Omit<AskInvoiceInput, 'invoiceId' | 'runId'> & { total: number }> {
      const run = await bulkRunById(sql, runId);
      if (!run) throw new Error(`bulk run ${runId} does not exist`);
      return { forcedLevel: run.forcedLevel, channel: run.channel, attachPdf: run.attachPdf, actor: run.createdBy ?? 'bulk run', total: run.total };
    },

    async runItems(input: { runId: number; after: number; limit: number }): Promise<RunItem[]> {
      return runItemsFrom(sql, input.runId, input.after, input.limit);
    },

    /**
     * Asks one invoice's workflow to act: it alone owns the invoice's level. The update's id makes
     * a retried ask (this activity after a crash) return the first answer instead of acting twice.
     */
    async askInvoice(input: AskInvoiceInput): Promise<ReminderOutcome['status'] | 'ended'> {
      const { runId, invoiceId } = input;
      const record = (outcome: Parameters<typeof recordItemOutcome>[1]['outcome'], level: number | null, reason: string | null, reminderId: number | null = null) =>
        recordItemOutcome(sql, { runId, invoiceId, outcome, level, reason, reminderId });
      const beat = setInterval(() => Context.current().heartbeat(), 5_000);
      try {
        const outcome = await temporal.workflow.getHandle(dunningWorkflowId(invoiceId)).executeUpdate(sendNowUpdate, {
          updateId: `bulk-run-${runId}-invoice-${invoiceId}`,
          args: [{
            actor: input.actor, runId,
            ...(input.forcedLevel !== null ? { level: input.forcedLevel } : {}),
            ...(input.channel !== 'step' ? { channel: input.channel } : {}),
            attachPdf: input.attachPdf,
          }],
        });
        switch (outcome.status) {
          case 'sent':
          case 'prepared':
            await record(outcome.status, outcome.level, null, outcome.reminderId);
            break;
          case 'failed':
            await record('failed', outcome.level, outcome.reason, outcome.reminderId);
            break;
          case 'skipped':
            await record('skipped', outcome.level, outcome.hold);
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
      } finally {
        clearInterval(beat);
      }
    },

    async finishRun(runId: number): Promise<void> {
      await finishBulkRun(sql, runId);
    },
  };
}
