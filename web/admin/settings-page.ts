import type { Context } from 'hono';
import { z } from 'zod';
import { writeAudit } from '../../db/queries/audit.js';
import { openInvoiceRefs } from '../../db/queries/invoices.js';
import { getStripeKeys } from '../../db/queries/stripe.js';
import { getSepaCreditor, getSettings, saveSepaCreditor, updateSettings, type CompanySettings } from '../../db/queries/settings.js';
import { supportedHolidayCountries } from '../../workflows/schedule/holidays.js';
import { isValidTimeZone } from '../../workflows/schedule/zoned-time.js';
import type { WebDeps } from '../deps.js';
import { langOf, messages } from '../i18n.js';
import { bicField, creditorIdField, ibanField } from '../sepa/bank-fields.js';
import { wakeWorkflows } from '../../services/temporal/wake-workflows.js';
import { centsOf, parseForm } from './form.js';
import type { AdminEnv } from './env.js';
import { outcomeOnPage, type Flash } from './flash.js';
import { settingsView } from './views/settings.js';
import { ensureReviewSchedule, ensureSnapshotSchedule } from '../../services/temporal/schedules.js';

// A form posted without the legal identity (an older page) leaves it empty, as a blank field does.
const absentIsEmpty = <T extends z.ZodType>(schema: T) => z.preprocess((v) => v ?? '', schema);

const settingsForm = z.object({
  companyName: z.string().trim().min(1, 'required').max(200),
  companyAddress: z.string().trim().max(500),
  companyEmail: z.union([z.literal(''), z.email('an e-mail address')]),
  companyPhone: z.string().trim().max(40),
  companyLegalForm: absentIsEmpty(z.string().trim().max(40, 'at most 40 characters')),
  companyCapital: absentIsEmpty(z.string().trim().max(40, 'at most 40 characters')),
  companySiret: absentIsEmpty(z.string().transform((v) => v.replace(/\s/g, '')).refine((v) => v === '' || /^\d{14}$/.test(v), 'a SIRET of 14 digits')),
  companyRcs: absentIsEmpty(z.string().trim().max(60, 'at most 60 characters')),
  companyVat: absentIsEmpty(z.string().transform((v) => v.replace(/\s/g, '').toUpperCase()).refine((v) => v === '' || /^[A-Z]{2}[0-9A-Z]{2,13}$/.test(v), 'an intra-community VAT number such as FR12345678901')),
  mailFrom: z.string().trim().max(200).transform((v) => v || null),
  timezone: z.string().refine(isValidTimeZone, 'an IANA time zone such as Europe/Paris'),
  sendHour: z.coerce.number().int('a whole hour').min(0).max(23),
  country: z.enum(supportedHolidayCountries as [string, ...string[]], 'a country whose public holidays are known'),
  dueSoonDays: z.coerce.number().int('whole days').min(0).max(90),
  reviewHour: z.coerce.number().int('a whole hour').min(0, 'an hour from 0 to 23').max(23, 'an hour from 0 to 23'),
  payLinkDays: z.coerce.number().int('whole days').min(1, 'from 1 to 3650 days').max(3650, 'from 1 to 3650 days'),
  minimumBalance: z.string().transform((v, ctx) => {
    const cents = centsOf(v || '0');
    if (cents === undefined) ctx.addIssue({ code: 'custom', message: 'an amount such as 15.00' });
    return cents ?? 0;
  }),
});

/** Company identity for templates' header and footer, and the clock the schedule runs on. */
const sepaForm = z.object({
  name: z.string().trim().min(1, 'required').max(70, 'at most 70 characters'),
  creditorId: creditorIdField,
  iban: ibanField,
  bic: bicField,
  leadDays: z.coerce.number().int('whole days').min(0).max(30),
});

export async function settingsPage(c: Context<AdminEnv>, deps: WebDeps, flash?: Flash, draft?: Record<string, string>) {
  const lang = langOf(c);
  const t = messages(lang);
  const shown = await outcomeOnPage(c, deps.sql, flash, '/settings');
  if (shown.redirect) return shown.redirect;
  const [settings, sepa, stripeKeys] = await Promise.all([getSettings(deps.sql), getSepaCreditor(deps.sql), getStripeKeys(deps.sql)]);
  const webhookUrl = `${new URL(c.req.url).origin}/webhooks/stripe`;
  const view = settingsView({ s: settings, sepa, stripeKeys, webhookUrl, draft, csrf: c.get('user').csrfToken, flash: shown.flash, lang, t });
  return c.render(t.settings, view, shown.status);
}

export async function saveSettings(c: Context<AdminEnv>, deps: WebDeps) {
  const t = messages(langOf(c));
  const form = Object.fromEntries(Object.entries(await c.req.parseBody()).map(([k, v]) => [k, String(v)]));
  const parsed = parseForm(settingsForm, form, langOf(c));
  if (!parsed.ok) return settingsPage(c, deps, { ok: false, text: `${t.refused}: ${parsed.message}` }, form);
  const { minimumBalance, ...rest } = parsed.value;
  const after: CompanySettings = { ...rest, minimumBalanceCents: minimumBalance };
  const before = await deps.sql.begin(async (tx) => {
    const sql = tx as unknown as typeof deps.sql;
    const previous = await getSettings(sql);
    await updateSettings(sql, after);
    await writeAudit(sql, { userId: c.get('user').id, action: 'settings.update', entity: 'settings', before: previous, after });
    return previous;
  });
  let scheduleProblem = '';
  if (before.timezone !== after.timezone || before.reviewHour !== after.reviewHour) {
    // The settings are saved either way; a schedule the cluster refused is said, not hidden.
    scheduleProblem = await ensureReviewSchedule(deps.temporal, deps.taskQueue, after).then(() => '', (err: Error) => err.message);
  }
  if (before.timezone !== after.timezone) {
    // The analytics' day ends at the company's midnight too.
    scheduleProblem ||= await ensureSnapshotSchedule(deps.temporal, deps.taskQueue, after).then(() => '', (err: Error) => err.message);
  }
  // The clock, the calendar and the threshold decide every workflow's next step.
  if (before.timezone !== after.timezone || before.sendHour !== after.sendHour || before.country !== after.country || before.minimumBalanceCents !== after.minimumBalanceCents) {
    await wakeWorkflows(deps, (await openInvoiceRefs(deps.sql)).map((r) => r.id), 'steps');
  }
  if (scheduleProblem) return settingsPage(c, deps, { ok: false, text: `${t.done} reviewHour: ${scheduleProblem}` });
  return settingsPage(c, deps, { ok: true, text: t.done });
}

export async function saveSepaSettings(c: Context<AdminEnv>, deps: WebDeps) {
  const t = messages(langOf(c));
  const form = Object.fromEntries(Object.entries(await c.req.parseBody()).map(([k, v]) => [k, String(v)]));
  const parsed = parseForm(sepaForm, form, langOf(c));
  const draft = Object.fromEntries(Object.entries(form).map(([k, v]) => [`sepa.${k}`, v]));
  if (!parsed.ok) return settingsPage(c, deps, { ok: false, text: `${t.refused}: ${parsed.message}` }, draft);
  const before = await getSepaCreditor(deps.sql);
  await saveSepaCreditor(deps.sql, parsed.value);
  await writeAudit(deps.sql, { userId: c.get('user').id, action: 'settings.sepa', entity: 'settings', before, after: parsed.value });
  return settingsPage(c, deps, { ok: true, text: t.done });
}
