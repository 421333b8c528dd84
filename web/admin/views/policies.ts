import { html } from 'hono/html';
import type { ChargesPolicy } from '../../../db/queries/late-charges.js';
import type { ReferenceRate } from '../../../workflows/schedule/late-charges.js';
import type { FollowUpStep, listPolicies, SendingOptions, StepFields } from '../../../db/queries/steps.js';
import { SPECIAL_PURPOSES } from '../../../db/queries/templates.js';
import { formatDate, formatMoney, formatRate } from '../../../services/format.js';
import { CATCH_UP_MODES } from '../../../workflows/schedule/plan.js';
import type { Lang, Messages } from '../../i18n.js';
import type { Flash } from '../env.js';
import { flashOf } from './flash.js';
import { sitePath } from '../paths.js';

type Policy = Awaited<ReturnType<typeof listPolicies>>[number];

export type PoliciesModel = { policies: Policy[]; rates: ReferenceRate[]; today: string; csrf: string; flash?: Flash; lang: Lang; t: Messages };

/** The named sequences of steps; each customer follows the default one unless given another. */
export function policiesView({ policies, rates, today, csrf, flash, lang, t }: PoliciesModel) {
  const defaultId = policies.find((p) => p.isDefault)?.id;
  return html`<h1>${t.policies}</h1>${flashOf(flash)}
      <section class="card"><table><thead><tr><th>${t.name}</th><th class="num">${t.steps}</th><th class="num">${t.customersWithPolicy}</th><th></th></tr></thead>
        <tbody>${policies.map(
          (p) => html`<tr><td><a href="${sitePath`/settings/policies/${p.id}`}">${p.name}</a>${p.isDefault ? html` <span class="badge">${t.defaultPolicy}</span>` : ''}</td>
            <td class="num">${p.steps}</td><td class="num">${p.customers}</td>
            <td class="row-actions">${p.isDefault ? '' : html`
              <form method="post" action="${sitePath`/settings/policies/${p.id}/default`}" class="inline"><input type="hidden" name="_csrf" value="${csrf}"><button>${t.makeDefault}</button></form>
              <form method="post" action="${sitePath`/settings/policies/${p.id}/delete`}" class="inline"><input type="hidden" name="_csrf" value="${csrf}"><button class="danger">${t.delete}</button></form>`}</td></tr>`,
        )}</tbody></table></section>
      <form method="post" action="/settings/policies" class="card form-grid">
        <input type="hidden" name="_csrf" value="${csrf}">
        <h2>${t.newPolicy}</h2>
        <label>${t.name}<input name="name" required maxlength="80" placeholder="${t.policyExample}"></label>
        <label>${t.copyStepsFrom}<select name="copyFrom">${policies.map((p) => html`<option value="${p.id}" ${p.id === defaultId ? 'selected' : ''}>${p.name}</option>`)}</select></label>
        <div><button type="submit" class="primary">${t.create}</button></div>
      </form>
      <section class="card" id="special-templates"><h2>${t.templates}</h2><p class="muted">${t.specialTemplatesHelp}</p>
        <ul>${SPECIAL_PURPOSES.map((purpose) => html`<li><a href="${sitePath`/settings/templates/${purpose}/email/fr`}">${t.specialTemplates[purpose]}</a></li>`)}</ul>
      </section>
      ${referenceRatesCard(rates, today, csrf, lang, t)}`;
}

export type PolicyModel = { policy: Policy; steps: FollowUpStep[]; sending: SendingOptions; charges: ChargesPolicy; csrf: string; flash?: Flash; lang: Lang; t: Messages };

/** One policy's steps, each row its own form; htmx swaps the table, a plain POST reloads the page. */
export function policyView({ policy, steps, sending, charges, csrf, flash, lang, t }: PolicyModel) {
  return html`<p><a href="/settings/policies">← ${t.policies}</a></p>
      <h1>${policy.name}${policy.isDefault ? html` <span class="badge">${t.defaultPolicy}</span>` : ''}</h1>
      <section id="steps">${flashOf(flash)}
        <div class="card"><h2>${t.steps}</h2>
        <p class="muted">${t.delayHelp}</p>
        <table class="steps"><thead><tr><th>${t.level}</th><th>${t.step}</th><th></th></tr></thead>
          <tbody>${steps.map((s, i) => stepRow(s, i, steps.length, csrf, t, lang))}</tbody></table></div>
        <form method="post" action="${sitePath`/settings/policies/${policy.id}/steps`}" class="card form-grid" hx-post="${sitePath`/settings/policies/${policy.id}/steps`}" hx-select="#steps" hx-target="#steps" hx-swap="outerHTML">
          <input type="hidden" name="_csrf" value="${csrf}">
          <h2>${t.addStep}</h2>
          ${stepInputs({ name: '', colour: '#d97706', delayDays: 10, channel: 'email', attachPdf: false, feeCents: null, isFinal: false }, t, 'new')}
          <div><button type="submit" class="primary">${t.addStep}</button></div>
        </form>
      </section>
      <form method="post" action="${sitePath`/settings/policies/${policy.id}/rename`}" class="card form-grid">
        <input type="hidden" name="_csrf" value="${csrf}">
        <h2>${t.rename}</h2><label>${t.name}<input name="name" value="${policy.name}" required maxlength="80"></label>
        <div><button type="submit">${t.save}</button></div>
      </form>
      ${policySendingCard(policy.id, sending, csrf, t)}
      ${policyChargesCard(policy.id, charges, csrf, t)}`;
}

function stepInputs(s: StepFields, t: Messages, key: string) {
  return html`<label>${t.name}<input name="name" value="${s.name}" required maxlength="80" aria-label="${t.name} ${key}"></label>
    <label>${t.colour}<input name="colour" type="color" value="${s.colour}"></label>
    <label>${t.delayDays}<input name="delayDays" type="number" min="-365" max="365" value="${s.delayDays}" required class="narrow" aria-label="${t.delayDays} ${key}"></label>
    <label>${t.channel}<select name="channel">${(['email', 'letter', 'both'] as const).map((ch) => html`<option value="${ch}" ${ch === s.channel ? 'selected' : ''}>${t.channels[ch]}</option>`)}</select></label>
    <label class="inline"><input type="checkbox" name="attachPdf" ${s.attachPdf ? 'checked' : ''}>${t.attachPdf}</label>
    <label>${t.fee}<input name="fee" value="${s.feeCents === null ? '' : (s.feeCents / 100).toFixed(2)}" inputmode="decimal" class="narrow"></label>
    <label class="inline"><input type="checkbox" name="isFinal" ${s.isFinal ? 'checked' : ''}>${t.final}</label>`;
}

function stepRow(s: FollowUpStep, index: number, count: number, csrf: string, t: Messages, lang: 'fr' | 'en') {
  const formId = `step-${s.id}`;
  const swap = html`hx-select="#steps" hx-target="#steps" hx-swap="outerHTML"`;
  const button = (action: string, label: string, extra = '') =>
    html`<form method="post" action="${sitePath`/settings/steps/${s.id}/${action}`}" class="inline" hx-post="${sitePath`/settings/steps/${s.id}/${action}`}" ${swap}>
      <input type="hidden" name="_csrf" value="${csrf}"><button class="${extra}" title="${label}">${label}</button></form>`;
  return html`<tr data-step="${s.name}">
    <td><svg class="swatch" viewBox="0 0 10 10" aria-hidden="true"><rect width="10" height="10" rx="2" fill="${s.colour}"/></svg>${s.level}</td>
    <td><form id="${formId}" method="post" action="${sitePath`/settings/steps/${s.id}`}" class="step-form" hx-post="${sitePath`/settings/steps/${s.id}`}" ${swap}>
      <input type="hidden" name="_csrf" value="${csrf}">${stepInputs(s, t, String(s.level))}
      <button type="submit">${t.save}</button>
      <a href="${sitePath`/settings/templates/${s.id}/email/fr`}">${t.templates}</a>
      ${s.feeCents ? html`<span class="muted">${formatMoney(s.feeCents, 'EUR', lang)}</span>` : ''}
    </form></td>
    <td class="row-actions">${index > 0 ? button('up', '↑') : ''}${index < count - 1 ? button('down', '↓') : ''}${button('delete', t.delete, 'danger')}</td>
  </tr>`;
}

/** How the policy's reminders go out: one per invoice, or the customer's day gathered in one statement. */
export function policySendingCard(policyId: number, options: SendingOptions, csrf: string, t: Messages) {
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

/** The late-charges card of a policy page: the interest rule, the recovery indemnity and the formal notice's deadline. */
export function policyChargesCard(policyId: number, { rule, indemnity, noticeDays }: ChargesPolicy, csrf: string, t: Messages) {
  const bp = rule.kind === 'fixed' ? rule.rateBp : rule.kind === 'reference' ? rule.plusBp : 1000;
  const option = (value: string, label: string) => html`<option value="${value}" ${rule.kind === value ? 'selected' : ''}>${label}</option>`;
  return html`<form method="post" action="${sitePath`/settings/policies/${policyId}/charges`}" class="card form-grid" id="charges">
    <input type="hidden" name="_csrf" value="${csrf}">
    <h2>${t.lateCharges}</h2>
    <p class="muted">${t.lateChargesHelp}</p>
    <label>${t.interestRule}<select name="interestRule">${option('none', t.interestNone)}${option('fixed', t.interestFixed)}${option('reference', t.interestReference)}</select></label>
    <label>${t.interestRate}<input name="interestRate" value="${(bp / 100).toFixed(2)}" inputmode="decimal" class="narrow"></label>
    <label class="inline"><input type="checkbox" name="indemnity" ${indemnity ? 'checked' : ''}> ${t.recoveryIndemnity}</label>
    <label>${t.noticeDays}<input type="number" name="noticeDays" value="${noticeDays}" min="1" max="60" required class="narrow"></label>
    <p class="muted">${t.noticeDaysHelp}</p>
    <div><button type="submit">${t.save}</button></div>
  </form>`;
}

/** The published reference rates, with a warning when the current half-year's is missing. */
export function referenceRatesCard(rates: ReferenceRate[], today: string, csrf: string, lang: Lang, t: Messages) {
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
