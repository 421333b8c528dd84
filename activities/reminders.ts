import type { Sql } from '../db/client.js';
import { saveDocument } from '../db/queries/documents.js';
import { ApplicationFailure } from '@temporalio/activity';
import { dunningFactsOf, loadDunningFacts, type LoadedFacts } from '../db/queries/dunning-facts.js';
import { dunnableFacts, factsRowAfterReminder, invoiceFacts, type InvoiceFactsRow, type RecordedReminder } from '../db/queries/invoices.js';
import { claimReminderReading, recordReminderEnd, type ReminderClaim } from '../db/queries/reminders.js';
import { mergeFieldColumns, mergeFieldFactsOf, type MergeFieldFacts, type MergeFieldRow } from '../db/queries/merge-field-facts.js';
import type { CompanySettings } from '../db/queries/settings.js';
import type { FollowUpStep } from '../db/queries/steps.js';
import type { Channel, StoredTemplate } from '../db/queries/templates.js';
import { createConfigurationCache, type ConfigurationCache, type ConfigurationReads } from '../db/configuration-cache.js';
import type { ReminderOutcome, SendNowRequest } from '../workflows/messages.js';
import { nextAction, type DunningFacts } from '../workflows/schedule/next-action.js';
import { askedReminder } from '../workflows/asked-reminder.js';
import { NON_RETRYABLE } from '../workflows/errors.js';
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
  /** Settings, steps and templates kept across reminders (one per worker, shared by its activities). */
  configuration?: ConfigurationCache;
}

export function createReminderActivities({ sql, mailer, pdf, defaultFrom, publicUrl, configuration = createConfigurationCache(sql) }: ReminderDeps) {
  const { letterPdf, invoiceCopyPdf } = createLetterPdfs({ sql, pdf });
  /**
   * The texts of a reminder: its step's (the user's own version first), or after a returned direct
   * debit the dedicated ones. A letter without its own text uses the e-mail's; an e-mail alone
   * reads no letter text.
   */
  async function textsOf(c: Claimed, language: string) {
    const sender = { userId: c.input.userId, actor: c.input.actor };
    const find = (channel: Channel) => (c.inv.debitReturn !== null ? c.config.specialTemplateFor('debit_returned', channel, language) : c.config.templateFor(c.step.id, channel, language, sender));
    const email = await find('email');
    return { email, letter: c.channel === 'email' ? undefined : (await find('letter')) ?? email };
  }


  /**
   * Decides whether this level may go out and claims its (invoice, level) slot: the outcome when
   * nothing is to be sent (a hold, no such step, the slot already sent or prepared), else what the
   * next stages need.
   */
  async function claim(input: PerformReminderInput, known?: LoadedFacts): Promise<ReminderOutcome | Claimed> {
    const { invoiceId } = input;
    // Read a moment ago in the same activity when it judged an ask (for the same run): the re-check before the claim is that read.
    const inv = known ? known.invoice : await invoiceFacts(sql, invoiceId, input.runId);
    if (!inv) return { status: 'refused', level: input.level, reason: `invoice ${invoiceId} does not exist` };
    const config = configuration.at(inv.configurationVersion);
    const settings = known ? known.settings : await config.settings();
    // A run asks again when its first ask was lost with a crashed worker, possibly after the
    // reminder went out: it gets the level it already performed, never the next one.
    const performedByRun = inv.levelOfRun ?? undefined;
    const level = performedByRun ?? input.level;
    if (performedByRun === undefined && input.oncePerDay) {
      const lastSentOn = known ? known.facts.progress.lastDate : inv.lastSent && localDate(inv.lastSent.sentAt.getTime(), settings.timezone);
      if (lastSentOn && lastSentOn === localDate(input.at, settings.timezone)) return { status: 'skipped', level, hold: 'reminded_today' };
    }
    if (performedByRun === undefined && input.notDue) return { status: 'skipped', level, hold: 'not_due', ...input.notDue };
    const steps = known ? known.steps : inv.policyId ? await config.stepsOfPolicy(inv.policyId) : [];
    const step = steps.find((s) => s.level === level);
    if (!step) return { status: 'refused', level, reason: `there is no follow-up step at level ${level}` };
    const today = localDate(input.at, settings.timezone);
    const hold = dunningHold(dunnableFacts(inv, settings.minimumBalanceCents), today);
    // The run already performed this level: its own letter to print is no hold, the claim answers.
    if (hold && (performedByRun === undefined || isFinalHold(hold))) return { status: 'skipped', level, hold };

    const channel = input.channel ?? step.channel;
    const attachPdf = input.attachPdf ?? step.attachPdf;
    // What the text needs is read in the claim's statement: one round trip instead of two.
    const { claim: slot, read } = await claimReminderReading<MergeFieldRow>(sql, {
      invoiceId, level, stepId: step.id, stepName: step.name, channel, attachPdf, runId: input.runId ?? null,
      actor: input.actor, userId: input.userId ?? null, note: input.note, nextPlannedOn: input.nextPlannedOn ?? null,
    }, mergeFieldColumns(sql, inv, level));
    if (slot.status === 'sent') return { status: 'sent', level, reminderId: slot.id, sentOn: localDate(slot.sentAt!.getTime(), settings.timezone) };
    if (slot.status === 'prepared') return { status: 'prepared', level, reminderId: slot.id };
    return { input, config, level, inv, settings, steps, step, channel, attachPdf, today, slot, mergeFacts: mergeFieldFactsOf(read, inv, today) };
  }

  /** The merge fields, the recipient and the texts of a claimed reminder. */
  async function render(c: Claimed): Promise<Rendered> {
    const { fields, customer } = await loadMergeFields(sql, { invoice: c.inv, settings: c.settings, level: c.level, step: c.step, today: c.today, publicUrl, configuration: c.config, facts: c.mergeFacts });
    const texts = await textsOf(c, customer.language);
    return { fields, customer, texts };
  }

  /** Produces the letter (kept for printing) and sends the e-mail under the slot's idempotency key. */
  async function deliver(c: Claimed, r: Rendered): Promise<Delivery> {
    const failed = (reason: string): Delivery => ({ kind: 'failed', reason });
    const byEmail = c.channel !== 'letter';
    const byLetter = c.channel !== 'email';
    if (byEmail && r.customer.emails.length === 0) return failed('no e-mail address for this customer');
    if (byLetter && !hasPostalAddress(r.customer)) return failed('no postal address for this customer');
    if (byLetter) {
      if (!r.texts.letter) return failed(`no letter or e-mail template for "${c.step.name}"`);
      const letter = await letterPdf(c.inv.id, r.texts.letter, c.step.isFinal, r.customer, r.fields);
      await saveDocument(sql, { reminderId: c.slot.id, filename: `${c.inv.number}-${c.level}.pdf`.replace(/[^\w.-]/g, '_'), content: letter.pdf, pages: letter.pages });
    }
    if (!byEmail) return { kind: 'prepared' };
    if (!r.texts.email) return failed(`no e-mail template for "${c.step.name}"`);
    const email = renderEmail(r.texts.email, r.fields);
    const attachments = c.attachPdf
      ? [{ filename: `${c.inv.number}.pdf`.replace(/[^\w.-]/g, '_'), content: await invoiceCopyPdf(c.inv.id, c.step.isFinal, r.customer, r.fields) }]
      : [];
    try {
      const { providerMessageId } = await mailer.send({
        from: c.settings.mailFrom ?? defaultFrom, to: r.customer.emails, subject: email.subject, html: email.html, attachments, idempotencyKey: c.slot.idempotencyKey,
      });
      return { kind: 'sent', subject: email.subject, html: email.html, providerMessageId, withPdf: attachments.length > 0, alsoByLetter: byLetter };
    } catch (err) {
      if (err instanceof EmailRejectedError) return failed(err.message);
      throw err;
    }
  }

  /** Records what happened to the claimed reminder and its timeline entry, in one statement. */
  async function record(c: Claimed, recipients: string[], d: Delivery): Promise<{ outcome: ReminderOutcome; recorded: RecordedReminder }> {
    const { input, level, step, slot } = c;
    const note = input.note || undefined;
    const reminder = { id: slot.id, invoiceId: c.inv.id, level };
    const entry = (suffix: string) => ({ invoiceId: c.inv.id, level, actor: input.actor, dedupeKey: `${slot.idempotencyKey}-${suffix}`, occurredAt: input.at });
    switch (d.kind) {
      case 'failed':
        await recordReminderEnd(sql, reminder, { status: 'failed', reason: d.reason, recipients }, { ...entry('failed'), kind: 'reminder_failed', params: { step: step.name, reason: d.reason } });
        return { outcome: { status: 'failed', level, reminderId: slot.id, reason: d.reason }, recorded: { status: 'failed' } };
      case 'prepared':
        await recordReminderEnd(sql, reminder, { status: 'prepared' }, { ...entry('prepared'), kind: 'letter_prepared', params: { step: step.name, note } });
        return { outcome: { status: 'prepared', level, reminderId: slot.id }, recorded: { status: 'prepared' } };
      case 'sent': {
        const { sentAt, nextPlannedOn } = await recordReminderEnd(
          sql, reminder,
          { status: 'sent', recipients, subject: d.subject, html: d.html, providerMessageId: d.providerMessageId, at: input.at },
          { ...entry('sent'), kind: 'reminder_sent', params: { step: step.name, recipients, withPdf: d.withPdf || undefined, alsoByLetter: d.alsoByLetter || undefined, note } },
        );
        return {
          outcome: { status: 'sent', level, reminderId: slot.id, sentOn: localDate(sentAt!.getTime(), c.settings.timezone) },
          recorded: { status: 'sent', level, sentAt: sentAt!, nextPlannedOn },
        };
      }
    }
  }

  /**
   * Performs one level for one invoice, at most once: claims the (invoice, level) slot after
   * re-checking payment and holds, renders, delivers with the slot's idempotency key (or keeps
   * the letter for printing), and records the outcome.
   */
  async function perform(input: PerformReminderInput, known?: LoadedFacts): Promise<{ outcome: ReminderOutcome; done?: { claimed: Claimed; recorded: RecordedReminder } }> {
    const claimed = await claim(input, known);
    if ('status' in claimed) return { outcome: claimed };
    const rendered = await render(claimed);
    const { outcome, recorded } = await record(claimed, rendered.customer.emails, await deliver(claimed, rendered));
    return { outcome, done: { claimed, recorded } };
  }

  const configurationAt = (version: number) => configuration.at(version);

  async function loadFacts(invoiceId: number, runId?: number): Promise<LoadedFacts> {
    const loaded = (await loadDunningFacts(sql, [invoiceId], configurationAt, runId)).get(invoiceId);
    if (!loaded) throw ApplicationFailure.nonRetryable(`Invoice ${invoiceId} does not exist`, NON_RETRYABLE.notFound);
    return loaded;
  }

  /** The facts as they stand now; the settings and steps a claim read are reused while the configuration stands. */
  async function factsNow(invoiceId: number): Promise<DunningFacts | null> {
    return (await loadDunningFacts(sql, [invoiceId], configurationAt)).get(invoiceId)?.facts ?? null;
  }

  /**
   * The facts after a reminder, without a statement: those its claim was judged on, with what its
   * record wrote (one pure rule, `factsRowAfterReminder`), and the review approvals read before it.
   */
  function factsAfter({ claimed, recorded }: { claimed: Claimed; recorded: RecordedReminder }, approval: DunningFacts['approval']): DunningFacts {
    return dunningFactsOf(factsRowAfterReminder(claimed.inv, recorded), claimed.steps, claimed.settings, approval);
  }

  return {
    async performReminder(input: PerformReminderInput): Promise<ReminderOutcome> {
      return (await perform(input)).outcome;
    },

    /**
     * The same, then the invoice's dunning facts as they stand after it: the workflow's next turn
     * starts from them instead of reading them again, and they are the claim's facts with the
     * reminder's own record on top, not a read of their own.
     */
    async performReminderThenFacts(input: PerformReminderInput): Promise<{ outcome: ReminderOutcome; facts: DunningFacts | null }> {
      const { outcome, done } = await perform(input);
      // Nothing performed (a hold found, the level already sent), the facts have moved since the workflow
      // read them; a policy that waits for review had its approvals read by no claim.
      return { outcome, facts: done && !done.claimed.inv.needsApproval ? factsAfter(done, null) : await factsNow(input.invoiceId) };
    },

    /**
     * A person's or a bulk run's ask, judged on the invoice's facts read here and performed in the
     * same activity, then the facts after it. No outcome when dunning has ended or a promise is to
     * be settled: the workflow does that first, from the facts returned.
     */
    async answerAsk(input: { invoiceId: number; request: SendNowRequest; at: number }): Promise<{ outcome: ReminderOutcome | null; facts: DunningFacts }> {
      const before = await loadFacts(input.invoiceId, input.request.runId);
      const action = nextAction(before.facts, input.at);
      if (action.kind === 'ended' || action.kind === 'settle_promise') return { outcome: null, facts: before.facts };
      const asked = askedReminder(input.request, action, before.facts.progress.level, input.request.runId !== undefined);
      if ('answer' in asked) return { outcome: asked.answer, facts: before.facts };
      const { outcome, done } = await perform({ ...asked.perform, invoiceId: input.invoiceId, at: input.at }, before);
      // Nothing claimed, nothing written: the facts read before still stand.
      return { outcome, facts: done ? factsAfter(done, before.facts.approval) : before.facts };
    },
  };
}

interface Claimed {
  input: PerformReminderInput;
  config: ConfigurationReads;
  level: number;
  inv: InvoiceFactsRow;
  settings: CompanySettings;
  steps: FollowUpStep[];
  step: FollowUpStep;
  channel: FollowUpStep['channel'];
  attachPdf: boolean;
  today: string;
  slot: ReminderClaim;
  mergeFacts: MergeFieldFacts;
}

type ReminderText = StoredTemplate | undefined;
type Rendered = Awaited<ReturnType<typeof loadMergeFields>> & { texts: { email: ReminderText; letter: ReminderText } };

type Delivery =
  | { kind: 'failed'; reason: string }
  | { kind: 'prepared' }
  | { kind: 'sent'; subject: string; html: string; providerMessageId: string; withPdf: boolean; alsoByLetter: boolean };
