import type { Sql } from '../db/client.js';
import { saveDocument } from '../db/queries/documents.js';
import { insertEvent } from '../db/queries/events.js';
import { dunnableFacts, invoiceFacts, recordLastLevel } from '../db/queries/invoices.js';
import { claimReminder, lastSentReminder, levelOfRun, markReminderFailed, markReminderPrepared, markReminderSent } from '../db/queries/reminders.js';
import { getSettings } from '../db/queries/settings.js';
import { stepsOfPolicy } from '../db/queries/steps.js';
import { specialTemplateFor, templateFor, type Channel } from '../db/queries/templates.js';
import type { ReminderOutcome } from '../workflows/messages.js';
import { dunningHold, isFinalHold } from '../workflows/schedule/dunnable.js';
import { localDate } from '../workflows/schedule/zoned-time.js';
import { EmailRejectedError, type Mailer } from '../services/mail/mailer.js';
import { loadMergeFields } from '../services/documents/load-merge-fields.js';
import type { PdfRenderer } from '../services/pdf/pdf-renderer.js';
import { renderEmail } from '../services/documents/render.js';
import { createLetterPdfs, hasPostalAddress } from './letter-pdfs.js';

export interface PerformReminderInput {
  invoiceId: number;
  level: number;
  actor: string;
  note: string | null;
  nextPlannedOn?: string | null;
  /** The workflow's clock (epoch ms): the instant the reminder is performed, recorded as its date. */
  at: number;
  /** Default: the step's channel. */
  channel?: 'email' | 'letter';
  /** Default: the step's "attach the invoice PDF". */
  attachPdf?: boolean;
  runId?: number;
  /** The user who asked (a person, or the author of a bulk run): their own template version is used. */
  userId?: number;
  /**
   * A bulk run's guards, applied only when the run has not already performed a level for this
   * invoice (a retried ask after a crash gets its first answer): the step is not due (`notDue`),
   * or the invoice was already reminded today (`oncePerDay`).
   */
  notDue?: { dueOn?: string };
  oncePerDay?: boolean;
}

export interface ReminderDeps {
  sql: Sql;
  mailer: Mailer;
  pdf: PdfRenderer;
  defaultFrom: string;
  publicUrl: string;
}

export function createReminderActivities({ sql, mailer, pdf, defaultFrom, publicUrl }: ReminderDeps) {
  const { letterPdf, invoiceCopyPdf } = createLetterPdfs({ sql, pdf });
  /**
   * The texts of a reminder: its step's (the user's own version first), or after a returned direct
   * debit the dedicated ones. A letter without its own text uses the e-mail's.
   */
  async function textsOf(stepId: number, debitReturned: boolean, language: string, sender: { userId?: number; actor: string }) {
    const find = (channel: Channel) => (debitReturned ? specialTemplateFor(sql, 'debit_returned', channel, language) : templateFor(sql, stepId, channel, language, sender));
    const email = await find('email');
    return { email, letter: (await find('letter')) ?? email };
  }


  return {
    /**
     * Performs one level for one invoice, at most once: re-checks payment and pauses, claims the
     * (invoice, level) slot, renders, sends with the slot's idempotency key (or stores the letter
     * for printing), and records the result.
     */
    async performReminder(input: PerformReminderInput): Promise<ReminderOutcome> {
      const { invoiceId } = input;
      // A run asks again when its first ask was lost with a crashed worker, possibly after the
      // reminder went out: it gets the level it already performed, never the next one.
      const performedByRun = input.runId !== undefined ? await levelOfRun(sql, invoiceId, input.runId) : undefined;
      const level = performedByRun ?? input.level;
      const [inv, settings] = await Promise.all([invoiceFacts(sql, invoiceId), getSettings(sql)]);
      if (performedByRun === undefined && input.oncePerDay) {
        const last = await lastSentReminder(sql, invoiceId);
        if (last && localDate(last.sentAt.getTime(), settings.timezone) === localDate(input.at, settings.timezone)) return { status: 'skipped', level, hold: 'reminded_today' };
      }
      if (performedByRun === undefined && input.notDue) return { status: 'skipped', level, hold: 'not_due', ...input.notDue };
      if (!inv) return { status: 'refused', level, reason: `invoice ${invoiceId} does not exist` };
      const step = inv.policyId ? (await stepsOfPolicy(sql, inv.policyId)).find((s) => s.level === level) : undefined;
      if (!step) return { status: 'refused', level, reason: `there is no follow-up step at level ${level}` };
      const today = localDate(input.at, settings.timezone);
      const hold = dunningHold(dunnableFacts(inv, settings.minimumBalanceCents), today);
      // The run already performed this level: its own letter to print is no hold, the claim answers.
      if (hold && (performedByRun === undefined || isFinalHold(hold))) return { status: 'skipped', level, hold };

      const channel = input.channel ?? step.channel;
      const attachPdf = input.attachPdf ?? step.attachPdf;
      const claim = await claimReminder(sql, {
        invoiceId, level, stepId: step.id, stepName: step.name, channel, attachPdf, runId: input.runId ?? null,
        actor: input.actor, userId: input.userId ?? null, note: input.note, nextPlannedOn: input.nextPlannedOn ?? null,
      });
      if (claim.status === 'sent') {
        return { status: 'sent', level, reminderId: claim.id, sentOn: localDate(claim.sentAt!.getTime(), settings.timezone) };
      }
      if (claim.status === 'prepared') return { status: 'prepared', level, reminderId: claim.id };

      const { fields, customer } = await loadMergeFields(sql, { invoice: inv, settings, level, step, today, publicUrl });
      const texts = await textsOf(step.id, inv.debitReturn !== null, customer.language, { userId: input.userId, actor: input.actor });
      const fail = async (reason: string): Promise<ReminderOutcome> => {
        await sql.begin(async (tx) => {
          await markReminderFailed(tx, { id: claim.id, reason, recipients: customer.emails });
          await insertEvent(tx, {
            invoiceId, kind: 'reminder_failed', level, actor: input.actor,
            message: `${step.name} could not be sent: ${reason}`,
            dedupeKey: `${claim.idempotencyKey}-failed`,
            occurredAt: input.at,
          });
        });
        return { status: 'failed', level, reminderId: claim.id, reason };
      };

      const byEmail = channel !== 'letter';
      const byLetter = channel !== 'email';
      if (byEmail && customer.emails.length === 0) return fail('no e-mail address for this customer');
      if (byLetter && !hasPostalAddress(customer)) return fail('no postal address for this customer');

      if (byLetter) {
        if (!texts.letter) return fail(`no letter or e-mail template for "${step.name}"`);
        const letter = await letterPdf(invoiceId, texts.letter, step.isFinal, customer, fields);
        await saveDocument(sql, { reminderId: claim.id, filename: `${inv.number}-${level}.pdf`.replace(/[^\w.-]/g, '_'), content: letter.pdf, pages: letter.pages });
      }
      if (!byEmail) {
        await sql.begin(async (tx) => {
          await markReminderPrepared(tx, claim.id);
          await insertEvent(tx, {
            invoiceId, kind: 'letter_prepared', level, actor: input.actor,
            message: `${step.name}: letter ready to print${input.note ? ` — ${input.note}` : ''}`,
            dedupeKey: `${claim.idempotencyKey}-prepared`,
            occurredAt: input.at,
          });
        });
        return { status: 'prepared', level, reminderId: claim.id };
      }

      if (!texts.email) return fail(`no e-mail template for "${step.name}"`);
      const email = renderEmail(texts.email, fields);
      const attachments = attachPdf ? [{ filename: `${inv.number}.pdf`.replace(/[^\w.-]/g, '_'), content: await invoiceCopyPdf(invoiceId, step.isFinal, customer, fields) }] : [];

      let providerMessageId: string;
      try {
        ({ providerMessageId } = await mailer.send({
          from: settings.mailFrom ?? defaultFrom,
          to: customer.emails,
          subject: email.subject,
          html: email.html,
          attachments,
          idempotencyKey: claim.idempotencyKey,
        }));
      } catch (err) {
        if (err instanceof EmailRejectedError) return fail(err.message);
        throw err;
      }

      const sentAt = await sql.begin(async (tx) => {
        const at = await markReminderSent(tx, { id: claim.id, recipients: customer.emails, subject: email.subject, html: email.html, providerMessageId, at: input.at });
        await recordLastLevel(tx, invoiceId, level, at);
        await insertEvent(tx, {
          invoiceId, kind: 'reminder_sent', level, actor: input.actor,
          message: `${step.name} sent by e-mail to ${customer.emails.join(', ')}${attachments.length ? ' with the invoice PDF' : ''}${byLetter ? ', and as a letter' : ''}${input.note ? ` — ${input.note}` : ''}`,
          dedupeKey: `${claim.idempotencyKey}-sent`,
          occurredAt: input.at,
        });
        return at;
      });
      return { status: 'sent', level, reminderId: claim.id, sentOn: localDate(sentAt.getTime(), settings.timezone) };
    },
  };
}
