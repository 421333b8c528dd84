import { Context } from '@temporalio/activity';
import type { Client } from '@temporalio/client';
import type { Sql } from '../db/client.js';
import { dunnableFacts, invoiceFacts, type InvoiceFactsRow } from '../db/queries/invoices.js';
import { saveDocument } from '../db/queries/documents.js';
import { claimReminder, recordReminderEnd } from '../db/queries/reminders.js';
import { getSettings } from '../db/queries/settings.js';
import { cancelStatement, closeStatement, finishStatement, joinStatement, settleStatementItem } from '../db/queries/statements.js';
import { stepsOfPolicy, type FollowUpStep } from '../db/queries/steps.js';
import { specialTemplateFor } from '../db/queries/templates.js';
import type { StatementOutcome } from '../workflows/messages.js';
import { statementJoinedSignal } from '../workflows/messages.js';
import { dunningHold } from '../workflows/schedule/dunnable.js';
import { daysLate } from '../workflows/schedule/row-colour.js';
import { localDate } from '../workflows/schedule/zoned-time.js';
import { statementWorkflowId } from '../workflows/ids.js';
import { formatDate, formatMoney } from '../services/format.js';
import { loadMergeFields } from '../services/documents/load-merge-fields.js';
import { amountsOwed } from '../workflows/schedule/amounts-owed.js';
import { EmailRejectedError, type Mailer } from '../services/mail/mailer.js';
import { createLetterPdfs, hasPostalAddress } from './letter-pdfs.js';
import { payLink } from '../services/pay-link.js';
import type { PdfRenderer } from '../services/pdf/pdf-renderer.js';
import { renderEmail } from '../services/documents/render.js';
import { payLinkSecret } from '../db/queries/stripe.js';

interface Claimed {
  invoice: InvoiceFactsRow;
  step: FollowUpStep;
  reminderId: number;
  idempotencyKey: string;
}

const reminderOf = (c: Claimed) => ({ id: c.reminderId, invoiceId: c.invoice.id, level: c.step.level });

export function createStatementActivities(deps: { sql: Sql; mailer: Mailer; temporal: Client; defaultFrom: string; publicUrl: string; pdf: PdfRenderer }) {
  const { sql, mailer, temporal, defaultFrom } = deps;
  const letters = createLetterPdfs(deps);
  return {
    /**
     * Puts the invoice's due level in its customer's statement and wakes (or starts) the statement's
     * workflow, which waits for the other invoices of the day before sending.
     */
    async joinCustomerStatement(input: { invoiceId: number; level: number }): Promise<number> {
      const statementId = await joinStatement(sql, input.invoiceId, input.level);
      await temporal.workflow.signalWithStart('customerStatement', {
        workflowId: statementWorkflowId(statementId),
        taskQueue: Context.current().info.taskQueue,
        args: [{ statementId }],
        signal: statementJoinedSignal,
        signalArgs: [],
      });
      return statementId;
    },

    /** The statement's workflow was cancelled in Temporal while it gathered: its invoices are paused. */
    async cancelStatement(input: { statementId: number; actor: string }): Promise<number[]> {
      return cancelStatement(sql, input.statementId, input.actor);
    },

    /**
     * Sends the statement once: every invoice still dunnable gets its reminder claimed at its own
     * level, one e-mail lists them all with the total (the provider's idempotency key is the
     * statement's) and, when a step goes by post, one letter (a cover letter then each invoice's
     * stamped copy) waits to be printed; each reminder is recorded. Returns what became of each invoice.
     */
    async sendStatement(input: { statementId: number; at: number }): Promise<{ invoiceId: number; outcome: StatementOutcome }[]> {
      const { statementId } = input;
      const statement = await closeStatement(sql, statementId);
      const settings = await getSettings(sql);
      const today = localDate(input.at, settings.timezone);
      const outcomes: { invoiceId: number; outcome: StatementOutcome }[] = [];
      const stored = () => statement.items.map((i) => ({ invoiceId: i.invoiceId, outcome: { level: i.level, status: i.outcome as StatementOutcome['status'], reason: i.reason } }));
      // A retry after the statement was settled reports what was recorded.
      if (statement.status === 'sent' || statement.status === 'failed') return stored();
      // Cancelled while it gathered: its invoices are paused, and were woken by whoever cancelled it.
      if (statement.status === 'cancelled') return [];
      const settle = async (invoiceId: number, outcome: StatementOutcome) => {
        await settleStatementItem(sql, statementId, invoiceId, outcome.status, outcome.reason);
        outcomes.push({ invoiceId, outcome });
      };

      const claimed: Claimed[] = [];
      for (const item of statement.items) {
        if (item.outcome !== 'pending') continue;
        const invoice = await invoiceFacts(sql, item.invoiceId);
        const step = invoice?.policyId ? (await stepsOfPolicy(sql, invoice.policyId)).find((s) => s.level === item.level) : undefined;
        // Waiting in this very statement is not a reason to hold it.
        const hold = invoice && dunningHold({ ...dunnableFacts(invoice, settings.minimumBalanceCents), inStatement: false }, today);
        if (!invoice || !step || hold) {
          await settle(item.invoiceId, { level: item.level, status: 'skipped', reason: hold ?? `no step at level ${item.level}` });
          continue;
        }
        const claim = await claimReminder(sql, {
          invoiceId: invoice.id, level: item.level, stepId: step.id, stepName: step.name, channel: step.channel, attachPdf: false,
          runId: null, actor: 'system', userId: null, note: null, nextPlannedOn: null,
        });
        claimed.push({ invoice, step, reminderId: claim.id, idempotencyKey: claim.idempotencyKey });
      }
      if (claimed.length === 0) {
        await finishStatement(sql, statementId, { status: 'sent', subject: null, reason: 'nothing left to send' });
        return outcomes;
      }

      const first = claimed[0]!;
      const { fields, customer } = await loadMergeFields(sql, { invoice: first.invoice, settings, level: first.step.level, step: first.step, today, publicUrl: deps.publicUrl });
      // A statement's link opens the customer's open invoices, each payable on its own.
      if (fields.payLink) fields.payLink = payLink(deps.publicUrl, await payLinkSecret(sql), 'customer', statement.customerId, today);
      const fail = async (reason: string) => {
        await sql.begin(async (tx) => {
          for (const c of claimed) {
            await recordReminderEnd(tx, reminderOf(c), { status: 'failed', reason, recipients: customer.emails }, {
              invoiceId: c.invoice.id, kind: 'reminder_failed', level: c.step.level, actor: 'system', occurredAt: input.at,
              params: { step: c.step.name, reason, inStatement: true }, dedupeKey: `${c.idempotencyKey}-failed`,
            });
            await settleStatementItem(tx, statementId, c.invoice.id, 'failed', reason);
          }
          await finishStatement(tx, statementId, { status: 'failed', subject: null, reason });
        });
        return [...outcomes, ...claimed.map((c) => ({ invoiceId: c.invoice.id, outcome: { level: c.step.level, status: 'failed' as const, reason } }))];
      };
      // The statement goes by each channel its invoices' steps use.
      const byEmail = claimed.some((c) => c.step.channel !== 'letter');
      const byLetter = claimed.some((c) => c.step.channel !== 'email');
      if (byEmail && customer.emails.length === 0) return fail('no e-mail address for this customer');
      if (byLetter && !hasPostalAddress(customer)) return fail('no postal address for this customer');
      const template = await specialTemplateFor(sql, 'statement', 'email', customer.language);
      if (!template) return fail('no statement template');

      const lang = customer.language;
      const currency = first.invoice.currency;
      // Each line claims what is due on its invoice, as its own reminder would.
      const balance = (i: InvoiceFactsRow) => amountsOwed(i, today).claimedCents;
      fields.statementLines = claimed.map((c) => ({
        number: c.invoice.number,
        dueDate: formatDate(c.invoice.referenceDueDate ?? c.invoice.issueDate, lang),
        balance: formatMoney(balance(c.invoice), c.invoice.currency, lang),
        daysLate: daysLate(c.invoice.referenceDueDate ?? c.invoice.issueDate, today),
        levelName: c.step.name,
      }));
      fields.statementCount = claimed.length;
      fields.statementTotal = formatMoney(claimed.filter((c) => c.invoice.currency === currency).reduce((s, c) => s + balance(c.invoice), 0), currency, lang);
      const email = renderEmail(template, fields);
      await sql`update reminders set statement_id = ${statementId} where id = any(${claimed.map((c) => c.reminderId)}::bigint[])`;

      if (byLetter) {
        const letterText = (await specialTemplateFor(sql, 'statement', 'letter', customer.language)) ?? template;
        const copies = await Promise.all(
          claimed.map(async (c) => ({
            invoiceId: c.invoice.id, isFinal: c.step.isFinal,
            fields: (await loadMergeFields(sql, { invoice: c.invoice, settings, level: c.step.level, step: c.step, today })).fields,
          })),
        );
        const letter = await letters.statementPdf(letterText, customer, fields, copies);
        // Kept on the first invoice's reminder; printing it counts for every reminder of the statement.
        await saveDocument(sql, { reminderId: first.reminderId, filename: `statement-${statementId}.pdf`, content: letter.pdf, pages: letter.pages });
      }
      if (!byEmail) {
        await sql.begin(async (tx) => {
          for (const c of claimed) {
            await recordReminderEnd(tx, reminderOf(c), { status: 'prepared' }, {
              invoiceId: c.invoice.id, kind: 'letter_prepared', level: c.step.level, actor: 'system', occurredAt: input.at, dedupeKey: `${c.idempotencyKey}-prepared`,
              params: { step: c.step.name, statementOf: claimed.length },
            });
            await settleStatementItem(tx, statementId, c.invoice.id, 'sent', null);
          }
          await finishStatement(tx, statementId, { status: 'sent', subject: email.subject, reason: null });
        });
        return [...outcomes, ...claimed.map((c) => ({ invoiceId: c.invoice.id, outcome: { level: c.step.level, status: 'sent' as const, reason: null } }))];
      }

      let providerMessageId: string;
      try {
        ({ providerMessageId } = await mailer.send({
          from: settings.mailFrom ?? defaultFrom, to: customer.emails, subject: email.subject, html: email.html, attachments: [],
          idempotencyKey: `relance-statement-${statementId}`,
        }));
      } catch (err) {
        if (err instanceof EmailRejectedError) return fail(err.message);
        throw err;
      }

      await sql.begin(async (tx) => {
        for (const c of claimed) {
          const sent = { status: 'sent' as const, recipients: customer.emails, subject: email.subject, html: email.html, providerMessageId, at: input.at };
          await recordReminderEnd(tx, reminderOf(c), sent, {
            invoiceId: c.invoice.id, kind: 'reminder_sent', level: c.step.level, actor: 'system', occurredAt: input.at, dedupeKey: `${c.idempotencyKey}-sent`,
            params: { step: c.step.name, recipients: customer.emails, alsoByLetter: byLetter || undefined, statementOf: claimed.length },
          });
          await settleStatementItem(tx, statementId, c.invoice.id, 'sent', null);
        }
        await finishStatement(tx, statementId, { status: 'sent', subject: email.subject, reason: null });
      });
      return [...outcomes, ...claimed.map((c) => ({ invoiceId: c.invoice.id, outcome: { level: c.step.level, status: 'sent' as const, reason: null } }))];
    },
  };
}
