import type { Context } from 'hono';
import { html } from 'hono/html';
import { z } from 'zod';
import { formatMoney } from '../../services/format.js';
import { writeAudit } from '../../db/queries/audit.js';
import { openInvoiceRefs } from '../../db/queries/invoices.js';
import { getStripeKeys } from '../../db/queries/stripe.js';
import { getSepaCreditor, getSettings, saveSepaCreditor, updateSettings, type CompanySettings, type SepaCreditorSettings } from '../../db/queries/settings.js';
import { supportedHolidayCountries } from '../../workflows/schedule/holidays.js';
import { isValidTimeZone } from '../../workflows/schedule/zoned-time.js';
import type { WebDeps } from '../deps.js';
import { langOf, messages } from '../i18n.js';
import { bicField, creditorIdField, ibanField } from '../sepa/bank-fields.js';
import { wakeWorkflows } from '../../services/temporal/wake-workflows.js';
import { centsOf, parseForm } from './form.js';
import type { AdminEnv } from './env.js';
import { flashOf, outcomeOnPage, type Flash } from './flash.js';
import { stripeSettingsCard } from './stripe-settings.js';
import { ensureReviewSchedule } from '../../services/temporal/schedules.js';

const settingsForm = z.object({
  companyName: z.string().trim().min(1, 'required').max(200),
  companyAddress: z.string().trim().max(500),
  companyEmail: z.union([z.literal(''), z.email('an e-mail address')]),
  companyPhone: z.string().trim().max(40),
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
  const [s, sepa, stripeKeys] = await Promise.all([getSettings(deps.sql), getSepaCreditor(deps.sql), getStripeKeys(deps.sql)]);
  const sepaValue = (name: keyof SepaCreditorSettings) => draft?.[`sepa.${name}`] ?? String(sepa[name] ?? '');
  const value = (name: keyof CompanySettings | 'minimumBalance', current: unknown) => draft?.[name] ?? String(current ?? '');
  const field = (name: keyof CompanySettings | 'minimumBalance', label: string, current: unknown, attrs = html``) =>
    html`<label>${label}<input name="${name}" value="${value(name, current)}" ${attrs}></label>`;
  return c.render(t.settings, html`<h1>${t.settings}</h1>${flashOf(shown.flash)}
      <form method="post" action="/settings" class="card form-grid">
        <input type="hidden" name="_csrf" value="${c.get('user').csrfToken}">
        <h2>${t.companyIdentity}</h2>
        ${field('companyName', t.companyName, s.companyName, html`required maxlength="200"`)}
        ${field('companyAddress', t.address, s.companyAddress)}
        ${field('companyEmail', t.email, s.companyEmail, html`type="email"`)}
        ${field('companyPhone', t.phone, s.companyPhone)}
        ${field('mailFrom', t.mailFrom, s.mailFrom, html`placeholder="Relance &lt;relances@example.com&gt;"`)}
        <h2>${t.schedule}</h2>
        ${field('timezone', t.timezone, s.timezone, html`required`)}
        ${field('sendHour', t.sendHour, s.sendHour, html`type="number" min="0" max="23" required`)}
        <label>${t.holidays}<select name="country">${supportedHolidayCountries.map(
          (cc) => html`<option ${value('country', s.country) === cc ? 'selected' : ''}>${cc}</option>`,
        )}</select></label>
        ${field('dueSoonDays', t.dueSoonDays, s.dueSoonDays, html`type="number" min="0" max="90" required`)}
        ${field('reviewHour', t.reviewHour, s.reviewHour, html`type="number" min="0" max="23" required`)}
        ${field('payLinkDays', t.payLinkDays, s.payLinkDays, html`type="number" min="1" max="3650" required`)}
        ${field('minimumBalance', t.minimumBalance, (s.minimumBalanceCents / 100).toFixed(2), html`inputmode="decimal"`)}
        <p class="muted">${t.minimumBalanceHelp(formatMoney(s.minimumBalanceCents, 'EUR', lang))}</p>
        <div><button type="submit" class="primary">${t.save}</button></div>
      </form>
      <form method="post" action="/settings/sepa" class="card form-grid" id="sepa">
        <input type="hidden" name="_csrf" value="${c.get('user').csrfToken}">
        <h2>${t.sepaCreditor}</h2>
        <label>${t.creditorName}<input name="name" value="${sepaValue('name')}" required maxlength="70"></label>
        <label>${t.creditorId}<input name="creditorId" value="${sepaValue('creditorId')}" required placeholder="FR72ZZZ123456"></label>
        <label>IBAN<input name="iban" value="${sepaValue('iban')}" required></label>
        <label>BIC<input name="bic" value="${sepaValue('bic')}"></label>
        <label>${t.leadDays}<input name="leadDays" type="number" min="0" max="30" value="${sepaValue('leadDays')}" required></label>
        <div><button type="submit" class="primary">${t.save}</button></div>
      </form>
      ${stripeSettingsCard(c, stripeKeys, t)}`, shown.status);
}

export async function saveSettings(c: Context<AdminEnv>, deps: WebDeps) {
  const t = messages(langOf(c));
  const form = Object.fromEntries(Object.entries(await c.req.parseBody()).map(([k, v]) => [k, String(v)]));
  const parsed = parseForm(settingsForm, form);
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
  const parsed = parseForm(sepaForm, form);
  const draft = Object.fromEntries(Object.entries(form).map(([k, v]) => [`sepa.${k}`, v]));
  if (!parsed.ok) return settingsPage(c, deps, { ok: false, text: `${t.refused}: ${parsed.message}` }, draft);
  const before = await getSepaCreditor(deps.sql);
  await saveSepaCreditor(deps.sql, parsed.value);
  await writeAudit(deps.sql, { userId: c.get('user').id, action: 'settings.sepa', entity: 'settings', before, after: parsed.value });
  return settingsPage(c, deps, { ok: true, text: t.done });
}
