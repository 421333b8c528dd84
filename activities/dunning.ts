import { ApplicationFailure } from '@temporalio/activity';
import type { Sql } from '../db/client.js';
import { settlePromise } from '../db/queries/disputes.js';
import { approvalsOf } from '../db/queries/review.js';
import { insertEvent, type FollowUpEvent } from '../db/queries/events.js';
import { dunnableFacts, invoiceFacts, setInvoicePaused } from '../db/queries/invoices.js';
import { lastSentReminder } from '../db/queries/reminders.js';
import { getSettings } from '../db/queries/settings.js';
import { stepsOfPolicy } from '../db/queries/steps.js';
import { NON_RETRYABLE } from '../workflows/errors.js';
import type { DunnableFacts } from '../workflows/schedule/dunnable.js';
import type { Progress, SendSettings, StepRule } from '../workflows/schedule/plan.js';
import { localDate } from '../workflows/schedule/zoned-time.js';

export interface DunningFacts {
  invoiceId: number;
  number: string;
  customerRef: string;
  dunnable: DunnableFacts;
  dueDate: string | null;
  steps: StepRule[];
  settings: SendSettings;
  progress: Progress;
  /** Due levels join the customer's statement instead of going out alone. */
  statementMode: boolean;
  /** Under a policy that needs approval, the levels finance approved or held in a review pass. */
  approval: { approved: number[]; held: number[] } | null;
}

export function createDunningActivities({ sql }: { sql: Sql }) {
  return {
    /** Everything the workflow needs to decide its next step, read fresh from the database. */
    async loadDunningFacts(invoiceId: number): Promise<DunningFacts> {
      const inv = await invoiceFacts(sql, invoiceId);
      if (!inv) throw ApplicationFailure.nonRetryable(`Invoice ${invoiceId} does not exist`, NON_RETRYABLE.notFound);
      const [settings, steps, last] = await Promise.all([
        getSettings(sql),
        inv.policyId ? stepsOfPolicy(sql, inv.policyId) : [],
        lastSentReminder(sql, invoiceId),
      ]);
      return {
        invoiceId,
        number: inv.number,
        customerRef: inv.customerRef,
        dunnable: dunnableFacts(inv, settings.minimumBalanceCents),
        dueDate: inv.referenceDueDate,
        steps: steps.map((s) => ({ level: s.level, name: s.name, delayDays: s.delayDays, isFinal: s.isFinal })),
        settings: { timeZone: settings.timezone, sendHour: settings.sendHour, country: settings.country },
        statementMode: inv.statementMode,
        approval: inv.needsApproval ? await approvalsOf(sql, invoiceId) : null,
        progress: {
          level: last?.level ?? 0,
          lastDate: last ? localDate(last.sentAt.getTime(), settings.timezone) : null,
          nextPlannedOn: last?.nextPlannedOn,
          bringForwardTo: inv.debitReturn && localDate(Date.parse(inv.debitReturn.at), settings.timezone),
        },
      };
    },

    async setInvoicePause(input: { invoiceId: number; paused: boolean; reason: string | null; actor: string }): Promise<void> {
      await sql.begin(async (tx) => {
        const t = tx as unknown as Sql;
        await setInvoicePaused(t, input.invoiceId, input.paused, input.reason);
        await insertEvent(t, {
          invoiceId: input.invoiceId,
          kind: input.paused ? 'paused' : 'resumed',
          message: input.paused ? `Dunning paused: ${input.reason}` : 'Dunning resumed',
          actor: input.actor,
        });
      });
    },

    /** The workflow saw the promise kept or broken; a retry finds it settled and writes nothing. */
    async settlePromise(input: { invoiceId: number; promiseId: number; outcome: 'kept' | 'broken' }): Promise<void> {
      await settlePromise(sql, { ...input, actor: 'system' });
    },

    async recordEvent(event: FollowUpEvent): Promise<void> {
      await insertEvent(sql, event);
    },
  };
}
