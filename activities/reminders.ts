import type { Sql } from '../db/client.js';
import { insertEvent } from '../db/queries/events.js';
import { dunnableFacts, invoiceFacts, noteReminderSent } from '../db/queries/invoices.js';
import { claimReminder, markReminderFailed, markReminderSent } from '../db/queries/reminders.js';
import { getSettings } from '../db/queries/settings.js';
import { stepsOfPolicy } from '../db/queries/steps.js';
import { templateFor } from '../db/queries/templates.js';
import type { ReminderOutcome } from '../workflows/messages.js';
import { dunningHold } from '../workflows/schedule/dunnable.js';
import { localDate } from '../workflows/schedule/zoned-time.js';
import { EmailRejectedError, type Mailer } from './mail/mailer.js';
import { loadMergeFields } from './load-merge-fields.js';
import { renderEmail } from './render.js';

export interface PerformReminderInput {
  invoiceId: number;
  level: number;
  actor: string;
  note: string | null;
  nextPlannedOn?: string | null;
  /** The workflow's clock (epoch ms): the instant the reminder is performed, recorded as its date. */
  at: number;
}

export function createReminderActivities({ sql, mailer, defaultFrom }: { sql: Sql; mailer: Mailer; defaultFrom: string }) {
  return {
    /**
     * Performs one level for one invoice, at most once: re-checks payment and pauses, claims the
     * (invoice, level) slot, renders, sends with the slot's idempotency key, and records the result.
     */
    async performReminder(input: PerformReminderInput): Promise<ReminderOutcome> {
      const { invoiceId, level } = input;
      const [inv, settings] = await Promise.all([invoiceFacts(sql, invoiceId), getSettings(sql)]);
      if (!inv) return { status: 'refused', level, reason: `invoice ${invoiceId} does not exist` };
      const step = inv.policyId ? (await stepsOfPolicy(sql, inv.policyId)).find((s) => s.level === level) : undefined;
      if (!step) return { status: 'refused', level, reason: `there is no follow-up step at level ${level}` };
      const hold = dunningHold(dunnableFacts(inv, settings.minimumBalanceCents));
      if (hold) return { status: 'skipped', level, hold };

      const today = localDate(input.at, settings.timezone);
      const claim = await claimReminder(sql, {
        invoiceId, level, stepId: step.id, stepName: step.name, channel: 'email',
        actor: input.actor, note: input.note, nextPlannedOn: input.nextPlannedOn ?? null,
      });
      if (claim.status === 'sent') {
        return { status: 'sent', level, reminderId: claim.id, sentOn: localDate(claim.sentAt!.getTime(), settings.timezone) };
      }

      const { fields, customer } = await loadMergeFields(sql, { invoice: inv, settings, level, step, today });
      const fail = async (reason: string): Promise<ReminderOutcome> => {
        await sql.begin(async (tx) => {
          const t = tx as unknown as Sql;
          await markReminderFailed(t, { id: claim.id, reason, recipients: customer.emails });
          await insertEvent(t, {
            invoiceId, kind: 'reminder_failed', level, actor: input.actor,
            message: `${step.name} could not be sent: ${reason}`,
            dedupeKey: `${claim.idempotencyKey}-failed`,
            occurredAt: input.at,
          });
        });
        return { status: 'failed', level, reminderId: claim.id, reason };
      };

      if (customer.emails.length === 0) return fail('no e-mail address for this customer');
      const template = await templateFor(sql, step.id, 'email', customer.language, input.actor);
      if (!template) return fail(`no e-mail template for "${step.name}"`);
      const email = renderEmail(template, fields);

      let providerMessageId: string;
      try {
        ({ providerMessageId } = await mailer.send({
          from: settings.mailFrom ?? defaultFrom,
          to: customer.emails,
          subject: email.subject,
          html: email.html,
          idempotencyKey: claim.idempotencyKey,
        }));
      } catch (err) {
        if (err instanceof EmailRejectedError) return fail(err.message);
        throw err;
      }

      const sentAt = await sql.begin(async (tx) => {
        const t = tx as unknown as Sql;
        const at = await markReminderSent(t, { id: claim.id, recipients: customer.emails, subject: email.subject, html: email.html, providerMessageId, at: input.at });
        await noteReminderSent(t, invoiceId, level, at);
        await insertEvent(t, {
          invoiceId, kind: 'reminder_sent', level, actor: input.actor,
          message: `${step.name} sent by e-mail to ${customer.emails.join(', ')}${input.note ? ` — ${input.note}` : ''}`,
          dedupeKey: `${claim.idempotencyKey}-sent`,
          occurredAt: input.at,
        });
        return at;
      });
      return { status: 'sent', level, reminderId: claim.id, sentOn: localDate(sentAt.getTime(), settings.timezone) };
    },
  };
}
