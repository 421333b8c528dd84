import { html } from 'hono/html';
import { formatDate, formatMoney } from '../../../services/format.js';
import type { DueRule, Installment, PaymentTermsRule } from '../../../workflows/schedule/payment-terms.js';
import { messages, type Lang } from '../../i18n.js';
import type { Flash } from '../env.js';
import { sitePath } from '../paths.js';
import { flashOf } from './flash.js';

/** The schedule rows the form offers: enough for a monthly year. */
export const TERMS_ROWS = 12;

export type PaymentTermsModel = {
  terms: { id: number; name: string; rule: PaymentTermsRule; customers: number; example: { dueDate: string; installments: Installment[] } }[];
  today: string;
  exampleCents: number;
  csrf: string;
  flash?: Flash;
  lang: Lang;
};

/** The named payment terms, each worked on an example invoice issued today, and the form to add one. */
export function paymentTermsView({ terms, today, exampleCents, csrf, flash, lang }: PaymentTermsModel) {
  const t = messages(lang);
  const money = (cents: number) => formatMoney(cents, 'EUR', lang);
  const ruleText = (r: DueRule) => (r.kind === 'at_order' ? t.dueRuleKinds.at_order : `${r.days} ${t.dueRuleKinds[r.kind]}`);
  const kindSelect = (name: string, selected = 'days_end_of_month') =>
    html`<select name="${name}" aria-label="${t.dueRule}">${(['at_order', 'days', 'days_end_of_month'] as const).map(
      (k) => html`<option value="${k}" ${k === selected ? 'selected' : ''}>${t.dueRuleKinds[k]}</option>`,
    )}</select>`;
  return html`<h1>${t.paymentTerms}</h1>${flashOf(flash)}
    <p class="muted">${t.paymentTermsHelp}</p>
    <section class="card"><h2>${t.termsExample(money(exampleCents), formatDate(today, lang))}</h2>
      ${terms.length === 0 ? html`<p class="muted">${t.none}</p>` : html`<table data-testid="payment-terms"><thead><tr><th>${t.name}</th><th>${t.dueRule}</th><th>${t.termsExampleSchedule}</th><th>${t.termsCustomers}</th><th></th></tr></thead><tbody>${terms.map(
        (p) => html`<tr data-terms="${p.name}"><td><strong>${p.name}</strong></td>
          <td>${p.rule.kind === 'due' ? ruleText(p.rule.rule) : html`${p.rule.installments.map((i) => html`<div>${i.percent ?? ''} % · ${ruleText(i.rule)}${i.label ? html` · <span class="muted">${i.label}</span>` : ''}</div>`)}`}</td>
          <td>${p.example.installments.length
            ? html`<table class="compact"><tbody>${p.example.installments.map((i) => html`<tr><td>${formatDate(i.dueDate, lang)}</td><td class="num">${money(i.amountCents)}</td></tr>`)}</tbody></table>`
            : html`${t.dueDate} : ${formatDate(p.example.dueDate, lang)}`}</td>
          <td class="num">${p.customers}</td>
          <td><form method="post" action="${sitePath`/settings/payment-terms/${p.id}/delete`}" class="inline"><input type="hidden" name="_csrf" value="${csrf}"><button class="danger">${t.delete}</button></form></td></tr>`,
      )}</tbody></table>`}
    </section>
    <form method="post" action="/settings/payment-terms" class="card form-grid" id="new-terms">
      <input type="hidden" name="_csrf" value="${csrf}">
      <h2>${t.addPaymentTerms}</h2>
      <label>${t.name}<input name="name" required maxlength="120" placeholder="45 jours fin de mois"></label>
      <fieldset><legend><label class="inline"><input type="radio" name="shape" value="due" checked> ${t.termsSingle}</label></legend>
        <label class="inline">${t.termsDays}<input type="number" name="days" min="0" max="365" value="30" class="narrow"></label> ${kindSelect('dueRule')}
      </fieldset>
      <fieldset><legend><label class="inline"><input type="radio" name="shape" value="installments"> ${t.termsSchedule}</label></legend>
        <p class="muted">${t.termsScheduleHelp}</p>
        <table><thead><tr><th>%</th><th>${t.termsDays}</th><th>${t.dueRule}</th><th>${t.label}</th></tr></thead><tbody>
        ${Array.from({ length: TERMS_ROWS }, (_, n) => n + 1).map(
          (i) => html`<tr><td><input name="percent${i}" inputmode="decimal" class="narrow" aria-label="% ${i}"></td><td><input type="number" name="days${i}" min="0" max="365" class="narrow" aria-label="${t.termsDays} ${i}"></td>
            <td>${kindSelect(`dueRule${i}`, i === 1 ? 'at_order' : 'days_end_of_month')}</td><td><input name="label${i}" maxlength="100" aria-label="${t.label} ${i}"></td></tr>`,
        )}</tbody></table>
      </fieldset>
      <div><button type="submit" class="primary">${t.addPaymentTerms}</button></div>
    </form>`;
}
