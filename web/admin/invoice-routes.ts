import { Hono, type Context } from 'hono';
import { z } from 'zod';
import { insertEvent } from '../../db/queries/events.js';
import { invoiceByNumber, liftOperatorStop, type InvoiceSummary } from '../../db/queries/invoices.js';
import { loadDunningFacts } from '../../db/queries/dunning-facts.js';
import { MANUAL_PAYMENT_METHODS } from '../../db/queries/payments.js';
import { recordTrackingNumber } from '../../db/queries/reminders.js';
import { getSettings } from '../../db/queries/settings.js';
import { startOrWakeDunning } from '../../services/temporal/dunning-client.js';
import { pauseUpdate, resumeUpdate, sendNowUpdate } from '../../workflows/messages.js';
import { isIsoDate } from '../../workflows/schedule/calendar-date.js';
import { localDate } from '../../workflows/schedule/zoned-time.js';
import type { WebDeps } from '../deps.js';
import { langOf, messages, type Lang, type Messages } from '../i18n.js';
import { reasonText } from '../reason-texts.js';
import { askWorkflow, recordManualReminderAndWake, recordPaymentAndWake } from '../invoice-actions.js';
import type { AdminEnv } from './env.js';
import { followUpPage } from './follow-up.js';
import { parseForm, pauseForm, refusal } from './form.js';
import { issueLateChargeNote } from './invoice-charges.js';
import { disputeActions, disputeForms } from './invoice-disputes.js';
import { invoicePage, sendNowFlash } from './invoice-page.js';
import type { Outcome } from './flash.js';

type User = { email: string; id: number };

type Perform<S extends z.ZodType> = (deps: WebDeps, inv: InvoiceSummary, form: z.infer<S>, user: User, t: Messages, lang: Lang) => Promise<Outcome>;

const optional = <T extends z.ZodType>(schema: T) => z.preprocess((v) => (v === '' ? undefined : v), schema.optional());

const forms = {
  sendNow: z.object({
    note: optional(z.string().trim().max(1000, 'at most 1000 characters')),
    attachPdf: optional(z.literal('on')),
    level: optional(z.coerce.number().int('a step level').min(1, 'a step level')),
    nextOn: optional(z.string().refine(isIsoDate, 'a date YYYY-MM-DD')),
    channel: optional(z.enum(['email', 'letter'])),
  }),
  pause: pauseForm,
  none: z.object({}),
  manualReminder: z.object({
    level: z.coerce.number().int('a step level'),
    note: z.string().trim().min(1, 'required').max(1000, 'at most 1000 characters'),
    nextOn: optional(z.string().refine(isIsoDate, 'a date YYYY-MM-DD')),
  }),
  note: z.object({ note: z.string().trim().min(1, 'required').max(1000, 'at most 1000 characters') }),
  tracking: z.object({
    level: z.coerce.number().int('a step level').min(1, 'a step level'),
    // Printed as "1A 123 456 7890 1" on La Poste's slip: spaces and dashes are the reader's, not the number's.
    trackingNumber: z.string().transform((v) => v.replace(/[\s-]/g, '').toUpperCase())
      .pipe(z.string().regex(/^[0-9A-Z]{8,20}$/, 'a tracking number of 8 to 20 letters and digits, such as 1A 123 456 7890 1')),
  }),
  payment: z.object({
    amount: z.string().regex(/^\d{1,12}([.,]\d{1,2})?$/, 'a positive amount such as 1250.00'),
    paidOn: z.string().refine(isIsoDate, 'a date YYYY-MM-DD'),
    method: z.enum(MANUAL_PAYMENT_METHODS),
  }),
};

/**
 * One action on an invoice: its form validated at the route (a refusal names every bad field and
 * writes nothing), then carried out, and the invoice page shown with what happened.
 */
function invoiceAction<S extends z.ZodType>(deps: WebDeps, schema: S, perform: Perform<S>) {
  return async (c: Context<AdminEnv>) => {
    const lang = langOf(c);
    const t = messages(lang);
    const inv = await invoiceByNumber(deps.sql, c.req.param('number')!);
    if (!inv) return invoicePage(c, deps);
    const form = parseForm(schema, await c.req.parseBody(), langOf(c));
    if (!form.ok) return invoicePage(c, deps, { ok: false, text: `${t.refused}: ${form.message}` });
    const outcome = await perform(deps, inv, form.value, c.get('user'), t, lang);
    if ('flash' in outcome) return invoicePage(c, deps, outcome.flash);
    if (outcome.ok) return invoicePage(c, deps, { ok: true, text: outcome.text || t.done });
    return invoicePage(c, deps, { ok: false, text: outcome.field ? refusal(c, outcome.field, outcome.text) : `${t.refused}: ${reasonText(outcome.text, lang)}` });
  };
}

const answered = (a: { ok: true } | { ok: false; message: string }): Outcome => (a.ok ? { ok: true } : { ok: false, text: a.message });

const sendNow: Perform<typeof forms.sendNow> = async (deps, inv, form, user, t, lang) => {
  const asked = await askWorkflow(deps, inv.id, (h) =>
    h.executeUpdate(sendNowUpdate, {
      args: [{ actor: user.email, userId: user.id, note: form.note, attachPdf: form.attachPdf ? true : undefined, level: form.level, nextPlannedOn: form.nextOn, channel: form.channel }],
    }),
  );
  return asked.ok ? { flash: sendNowFlash(asked.value, lang, t) } : { ok: false, text: asked.message };
};

const pause: Perform<typeof forms.pause> = async (deps, inv, form, user) =>
  answered(await askWorkflow(deps, inv.id, (h) => h.executeUpdate(pauseUpdate, { args: [{ reason: form.reason, actor: user.email }] })));

const resume: Perform<typeof forms.none> = async (deps, inv, _form, user) => {
  // An operator's stop is lifted here only: the workflow starts again and plans from the invoice's facts.
  if (await liftOperatorStop(deps.sql, inv.id, user.email)) {
    await startOrWakeDunning(deps.temporal, deps.taskQueue, { id: inv.id, number: inv.number, customerRef: inv.customerRef });
    return { ok: true };
  }
  return answered(await askWorkflow(deps, inv.id, (h) => h.executeUpdate(resumeUpdate, { args: [{ actor: user.email }] })));
};

/** A reminder made by hand at a later level (source 003): the note, and optionally the next reminder's date. */
const manualReminder: Perform<typeof forms.manualReminder> = async (deps, inv, form, user) => {
  const [loaded, settings] = await Promise.all([loadDunningFacts(deps.sql, [inv.id]).then((m) => m.get(inv.id)), getSettings(deps.sql)]);
  const steps = loaded?.steps ?? [];
  const lastLevel = loaded?.facts.progress.level ?? 0;
  const step = steps.find((s) => s.level === form.level);
  if (!step || step.level <= lastLevel) return { ok: false, field: 'level', text: `one of the steps after level ${lastLevel}` };
  const nextOn = form.nextOn ?? null;
  // After the last step nothing is planned: a next date would be silently ignored, so it is refused.
  if (nextOn !== null && step.level === steps.at(-1)!.level) return { ok: false, field: 'nextOn', text: `${step.name} is the last step, nothing follows it; leave the date empty` };
  if (nextOn !== null && nextOn <= localDate(Date.now(), settings.timezone)) return { ok: false, field: 'nextOn', text: 'a date after today, YYYY-MM-DD' };
  const recorded = await recordManualReminderAndWake(deps, { invoiceId: inv.id, step, note: form.note, nextPlannedOn: nextOn, actor: user.email });
  return recorded ? { ok: true } : { ok: false, field: 'level', text: `${step.name} was already sent or is being sent` };
};

const addNote: Perform<typeof forms.note> = async (deps, inv, form, user) => {
  await insertEvent(deps.sql, { invoiceId: inv.id, kind: 'note', params: { text: form.note }, actor: user.email });
  return { ok: true };
};

const recordTracking: Perform<typeof forms.tracking> = async (deps, inv, form, user) =>
  (await recordTrackingNumber(deps.sql, { invoiceId: inv.id, level: form.level, trackingNumber: form.trackingNumber, actor: user.email }))
    ? { ok: true }
    : { ok: false, field: 'level', text: 'no letter at this level' };

const recordPayment: Perform<typeof forms.payment> = async (deps, inv, form, user) => {
  const amountCents = Math.round(Number(form.amount.replace(',', '.')) * 100);
  if (amountCents <= 0) return { ok: false, field: 'amount', text: 'must be above zero' };
  await recordPaymentAndWake(deps, {
    invoiceId: inv.id, amountCents, currency: inv.currency, paidOn: form.paidOn, method: form.method, source: 'manual', externalId: null, actor: user.email,
  });
  return { ok: true };
};

const lateCharges: Perform<typeof forms.none> = async (deps, inv, _form, user) =>
  issueLateChargeNote(deps, inv, localDate(Date.now(), (await getSettings(deps.sql)).timezone), user.email);

/** The mass follow-up, each invoice's page, and one route per thing finance does to an invoice. */
export function invoiceRoutes(deps: WebDeps) {
  const dispute = <K extends keyof typeof disputeForms>(kind: K) =>
    invoiceAction(deps, disputeForms[kind], (d, inv, form, user) => disputeActions[kind](d, inv, form as never, user.email));
  return new Hono<AdminEnv>()
    .get('/', (c) => followUpPage(c, deps))
    .get('/:number', (c) => invoicePage(c, deps))
    .post('/:number/send-now', invoiceAction(deps, forms.sendNow, sendNow))
    .post('/:number/pause', invoiceAction(deps, forms.pause, pause))
    .post('/:number/resume', invoiceAction(deps, forms.none, resume))
    .post('/:number/manual-reminder', invoiceAction(deps, forms.manualReminder, manualReminder))
    .post('/:number/notes', invoiceAction(deps, forms.note, addNote))
    .post('/:number/payments', invoiceAction(deps, forms.payment, recordPayment))
    .post('/:number/tracking', invoiceAction(deps, forms.tracking, recordTracking))
    .post('/:number/late-charges', invoiceAction(deps, forms.none, lateCharges))
    .post('/:number/dispute', dispute('dispute'))
    .post('/:number/take-dispute', dispute('takeDispute'))
    .post('/:number/close-dispute', dispute('closeDispute'))
    .post('/:number/promise', dispute('promise'))
    .post('/:number/withdraw-promise', dispute('withdrawPromise'));
}
