import type { Context } from 'hono';
import { html } from 'hono/html';
import { z } from 'zod';
import { formatDate, formatRate } from '../../services/format.js';
import { writeAudit } from '../../db/queries/audit.js';
import { chargesPolicyOf, referenceRates, saveChargesPolicy, saveReferenceRate } from '../../db/queries/late-charges.js';
import { getSettings } from '../../db/queries/settings.js';
import { openInvoiceIdsOfPolicy } from '../../db/queries/invoices.js';
import { sendingOptionsOf, setSendingOptions } from '../../db/queries/steps.js';
import { wakeWorkflows } from '../../services/temporal/wake-workflows.js';
import { localDate } from '../../workflows/schedule/zoned-time.js';
import { CATCH_UP_MODES } from '../../workflows/schedule/plan.js';
import type { WebDeps } from '../deps.js';
import { langOf, messages, type Lang, type Messages } from '../i18n.js';
import { centsOf, parseForm } from './form.js';
import type { AdminEnv } from './env.js';
import type { Flash } from './flash.js';
import { sitePath } from './paths.js';

// A percentage with two decimals reads like an amount: "12,15" is 1215 basis points.
const percent = (message: string) =>
  z.string().transform((v, ctx) => {
    const bp = centsOf(v || '0');
    if (bp === undefined || bp > 10_000) ctx.addIssue({ code: 'custom', message });
    return bp ?? 0;
  });

const chargesForm = z.object({
  interestRule: z.enum(['none', 'fixed', 'reference'], 'none, fixed or reference'),
  interestRate: percent('a yearly rate between 0 and 100, such as 10 or 12,15'),
  indemnity: z.preprocess((v) => v === 'on', z.boolean()),
});

const rateForm = z.object({
  validFrom: z.string().regex(/^\d{4}-(01|07)-01$/, 'the first day of a half-year, 1 January or 1 July (YYYY-01-01 or YYYY-07-01)'),
  rate: z.string().transform((v, ctx) => {
    const clean = v.trim().replace(',', '.');
    if (!/^-?\d{1,2}(\.\d{1,2})?$/.test(clean)) ctx.addIssue({ code: 'custom', message: 'a rate in percent such as 2,15' });
    return Math.round(Number(clean) * 100);
  }),
});

/** How the policy's reminders go out: one per invoice, or the customer's day gathered in one statement. */
export async function policySendingCard(deps: WebDeps, policyId: number, csrf: string, t: Messages) {
  const options = await sendingOptionsOf(deps.sql, policyId);
  return html`<form method="post" action="${sitePath`/settings/policies/${policyId}/sending`}" class="card form-grid" id="sending">
    <input type="hidden" name="_csrf" value="${csrf}">
    <h2>${t.sending}</h2>
    <label class="inline"><input type="checkbox" name="statementMode" ${options.statementMode ? 'checked' : ''}> ${t.statementMode}</label>
    <p class="muted">${t.statementModeHelp}</p>
    <label class="inline"><input type="checkbox" name="needsApproval" ${options.needsApproval ? 'checked' : ''}> ${t.needsApproval}</label>
    <p class="muted">${t.needsApprovalHelp}</p>
    <fieldset><legend>${t.catchUp}</legend>${CATCH_UP_MODES.map(
      (mode) => html`<label class="inline"><input type="radio" name="catchUp" value="${mode}" ${options.catchUp === mode ? 'checked' : ''}> ${t.catchUpModes[mode]}</label>`,
    )}</fieldset>
    <div><button type="submit">${t.save}</button></div>
  </form>`;
}

export async function savePolicySendingAction(c: Context<AdminEnv>, deps: WebDeps): Promise<Flash> {
  const t = messages(langOf(c));
  const policyId = Number(c.req.param('id'));
  const form = await c.req.parseBody();
  const before = await sendingOptionsOf(deps.sql, policyId);
  const catchUp = form.catchUp === undefined ? before.catchUp : CATCH_UP_MODES.find((m) => m === form.catchUp);
  if (!catchUp) return { ok: false, text: `${t.refused}: catchUp: ${CATCH_UP_MODES.join(', ')}` };
  const after = { statementMode: form.statementMode === 'on', needsApproval: form.needsApproval === 'on', catchUp };
  await setSendingOptions(deps.sql, policyId, after);
  // Invoices held for approval go once it is no longer needed; a new catch-up rule replans them.
  if ((before.needsApproval && !after.needsApproval) || before.catchUp !== after.catchUp) await wakeWorkflows(deps, await openInvoiceIdsOfPolicy(deps.sql, policyId));
  await writeAudit(deps.sql, { userId: c.get('user').id, action: 'policy.sending', entity: `policy:${policyId}`, before, after });
  return { ok: true, text: t.done };
}

/** The late-charges card of a policy page: the interest rule and the recovery indemnity. */
export async function policyChargesCard(deps: WebDeps, policyId: number, csrf: string, t: Messages) {
  const { rule, indemnity } = await chargesPolicyOf(deps.sql, policyId);
  const bp = rule.kind === 'fixed' ? rule.rateBp : rule.kind === 'reference' ? rule.plusBp : 1000;
  const option = (value: string, label: string) => html`<option value="${value}" ${rule.kind === value ? 'selected' : ''}>${label}</option>`;
  return html`<form method="post" action="${sitePath`/settings/policies/${policyId}/charges`}" class="card form-grid" id="charges">
    <input type="hidden" name="_csrf" value="${csrf}">
    <h2>${t.lateCharges}</h2>
    <p class="muted">${t.lateChargesHelp}</p>
    <label>${t.interestRule}<select name="interestRule">${option('none', t.interestNone)}${option('fixed', t.interestFixed)}${option('reference', t.interestReference)}</select></label>
    <label>${t.interestRate}<input name="interestRate" value="${(bp / 100).toFixed(2)}" inputmode="decimal" class="narrow"></label>
    <label class="inline"><input type="checkbox" name="indemnity" ${indemnity ? 'checked' : ''}> ${t.recoveryIndemnity}</label>
    <div><button type="submit">${t.save}</button></div>
  </form>`;
}

export async function savePolicyChargesAction(c: Context<AdminEnv>, deps: WebDeps): Promise<Flash> {
  const t = messages(langOf(c));
  const policyId = Number(c.req.param('id'));
  const parsed = parseForm(chargesForm, await c.req.parseBody());
  if (!parsed.ok) return { ok: false, text: `${t.refused}: ${parsed.message}` };
  const before = await chargesPolicyOf(deps.sql, policyId);
  const after = { kind: parsed.value.interestRule, bp: parsed.value.interestRate, indemnity: parsed.value.indemnity };
  await saveChargesPolicy(deps.sql, policyId, after);
  await writeAudit(deps.sql, { userId: c.get('user').id, action: 'policy.charges', entity: `policy:${policyId}`, before, after });
  return { ok: true, text: t.done };
}

/** The published reference rates, with a warning when the current half-year's is missing. */
export async function referenceRatesCard(deps: WebDeps, csrf: string, lang: Lang, t: Messages) {
  const [rates, settings] = await Promise.all([referenceRates(deps.sql), getSettings(deps.sql)]);
  const today = localDate(Date.now(), settings.timezone);
  const current = `${today.slice(0, 4)}-${Number(today.slice(5, 7)) <= 6 ? '01' : '07'}-01`;
  return html`<section class="card" id="reference-rates"><h2>${t.referenceRates}</h2>
    <p class="muted">${t.referenceRatesHelp}</p>
    ${rates.some((r) => r.validFrom === current) ? '' : html`<p class="error" data-testid="rate-missing">${t.referenceRateMissing(formatDate(current, lang))}</p>`}
    <table><tbody>${rates.map((r) => html`<tr><td>${formatDate(r.validFrom, lang)}</td><td class="num">${formatRate(r.rateBp, lang)}</td></tr>`)}</tbody></table>
    <form method="post" action="/settings/reference-rates" class="action">
      <input type="hidden" name="_csrf" value="${csrf}">
      <input type="date" name="validFrom" value="${current}" aria-label="${t.validFrom}" required>
      <input name="rate" placeholder="2,15" inputmode="decimal" aria-label="${t.rate}" required class="narrow">
      <button type="submit">${t.save}</button>
    </form>
  </section>`;
}

export async function saveReferenceRateAction(c: Context<AdminEnv>, deps: WebDeps): Promise<Flash> {
  const t = messages(langOf(c));
  const parsed = parseForm(rateForm, await c.req.parseBody());
  if (!parsed.ok) return { ok: false, text: `${t.refused}: ${parsed.message}` };
  await saveReferenceRate(deps.sql, { validFrom: parsed.value.validFrom, rateBp: parsed.value.rate });
  await writeAudit(deps.sql, { userId: c.get('user').id, action: 'reference_rate.save', entity: `reference_rate:${parsed.value.validFrom}`, before: null, after: parsed.value });
  return { ok: true, text: t.done };
}
