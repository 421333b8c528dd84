import { html } from 'hono/html';
import type { Customer, invoicesOfCustomer, remindersOfCustomer } from '../../../db/queries/customers.js';
import type { Mandate } from '../../../db/queries/mandates.js';
import type { StatementSummary } from '../../../db/queries/statements.js';
import type { listPolicies } from '../../../db/queries/steps.js';
import type { StripeLink } from '../../../db/queries/stripe.js';
import { formatDate, formatInstant, formatMoney } from '../../../services/format.js';
import type { Lang, Messages } from '../../i18n.js';
import { reasonText } from '../../reason-texts.js';
import type { Flash } from '../env.js';
import { flashOf } from './flash.js';
import { sitePath } from '../paths.js';
import { stripeCard } from './customer-stripe.js';
import { letterLinks } from './letter-links.js';

export type CustomerModel = {
  customer: Customer;
  invoices: Awaited<ReturnType<typeof invoicesOfCustomer>>;
  reminders: Awaited<ReturnType<typeof remindersOfCustomer>>;
  policies: Awaited<ReturnType<typeof listPolicies>>;
  paymentTerms: { id: number; name: string }[];
  mandate?: Mandate;
  stripeLink?: StripeLink;
  stripeConfigured: boolean;
  statements: StatementSummary[];
  /** The mandate as typed, shown again after a refusal. */
  mandateDraft?: Record<string, string>;
  isAdmin: boolean;
  timezone: string;
  csrf: string;
  flash?: Flash;
  lang: Lang;
  t: Messages;
};

/** A customer's page: contact, invoices with balances, and every reminder across them (source 003). */
export function customerView(m: CustomerModel) {
  const { customer, invoices, reminders, policies, paymentTerms, mandate, stripeLink, stripeConfigured, statements, mandateDraft, isAdmin, timezone, csrf, flash, lang, t } = m;
  const policyName = policies.find((p) => (customer.policyId === null ? p.isDefault : p.id === customer.policyId))?.name ?? '';
  return html`<h1>${customer.name} <span class="badge">${customer.ref}</span>${customer.paused ? html` <span class="badge">${t.paused}</span>` : ''}</h1>
      ${flashOf(flash)}
      <div class="grid2">
        <section class="card"><h2>${t.contact}</h2>
          <p>${[customer.addressLine1, customer.addressLine2, `${customer.postalCode} ${customer.city}`.trim(), customer.country].filter(Boolean).map((l) => html`${l}<br>`)}</p>
          <p>${customer.emails.length ? customer.emails.join(', ') : html`<span class="failed">⚠ ${t.noEmail}</span>`}</p>
          ${customer.siret || customer.siren || customer.vatNumber
            ? html`<p class="muted" data-testid="legal-identity">${[customer.siret ? `SIRET ${customer.siret}` : customer.siren ? `SIREN ${customer.siren}` : '', customer.vatNumber ? `${t.vatNumber} ${customer.vatNumber}` : ''].filter(Boolean).join(' · ')}</p>`
            : ''}
          <p class="muted">${t.language}: ${customer.language}</p>
          ${customer.paused && customer.pauseReason ? html`<p class="muted">${t.reason}: ${customer.pauseReason}</p>` : ''}
          <form method="post" action="${sitePath`/customers/${customer.ref}/${customer.paused ? 'resume' : 'pause'}`}" class="action">
            <input type="hidden" name="_csrf" value="${csrf}">
            ${customer.paused ? '' : html`<input name="reason" placeholder="${t.reason}" required maxlength="500">`}
            <button type="submit">${customer.paused ? t.resumeCustomer : t.pauseCustomer}</button>
          </form>
          <h2 class="spaced">${t.policy}</h2>
          ${isAdmin
            ? html`<form method="post" action="${sitePath`/customers/${customer.ref}/policy`}" class="action">
                <input type="hidden" name="_csrf" value="${csrf}">
                <select name="policy" aria-label="${t.policy}"><option value="">${t.defaultPolicy}</option>${policies.map(
                  (p) => html`<option value="${p.id}" ${p.id === customer.policyId ? 'selected' : ''}>${p.name}</option>`,
                )}</select>
                <label class="inline"><input type="checkbox" name="excluded" ${customer.dunningExcluded ? 'checked' : ''}> ${t.excluded}</label>
                <label class="inline"><input type="checkbox" name="isBusiness" ${customer.isBusiness ? 'checked' : ''}> ${t.businessCustomer}</label>
                <button type="submit">${t.save}</button>
              </form>`
            : html`<p>${policyName}${customer.dunningExcluded ? html` · <strong>${t.excluded}</strong>` : ''}${customer.isBusiness ? html` · ${t.businessCustomer}` : ''}</p>`}
          <h2 class="spaced">${t.defaultPaymentTerms}</h2>
          ${isAdmin
            ? html`<form method="post" action="${sitePath`/customers/${customer.ref}/payment-terms`}" class="action">
                <input type="hidden" name="_csrf" value="${csrf}">
                <select name="paymentTerms" aria-label="${t.defaultPaymentTerms}" data-testid="customer-terms"><option value="">${t.noDefaultTerms}</option>${paymentTerms.map(
                  (p) => html`<option value="${p.id}" ${p.id === customer.paymentTermsId ? 'selected' : ''}>${p.name}</option>`,
                )}</select>
                <button type="submit">${t.save}</button>
              </form>`
            : html`<p>${paymentTerms.find((p) => p.id === customer.paymentTermsId)?.name ?? t.noDefaultTerms}</p>`}
        </section>
        <section class="card"><h2>${t.invoices}</h2>
          <table><thead><tr><th>${t.invoice}</th><th>${t.dueDate}</th><th class="num">${t.balance}</th><th>${t.status}</th><th>${t.level}</th><th></th></tr></thead>
          <tbody>${invoices.map(
            (i) => html`<tr><td><a href="${sitePath`/invoices/${i.number}`}">${i.number}</a></td><td>${i.dueDate ? formatDate(i.dueDate, lang) : ''}</td>
              <td class="num">${formatMoney(i.totalCents - i.paidCents, i.currency, lang)}</td><td>${t.invoiceStatuses[i.status]}</td><td>${i.lastLevel || ''}</td>
              <td>${i.status === 'open' && i.totalCents > i.paidCents ? html`<a href="${sitePath`/invoices/${i.number}#actions`}">${t.remindOne}</a>` : ''}</td></tr>`,
          )}</tbody></table>
        </section>
      </div>
      <form method="post" action="${sitePath`/customers/${customer.ref}/mandate`}" class="card form-grid" id="mandate">
        <input type="hidden" name="_csrf" value="${csrf}">
        <h2>${t.mandate}</h2>
        ${mandate && !mandate.signedOn ? html`<p class="warning" role="status" data-testid="mandate-unsigned">${t.mandateUnsigned}</p>` : ''}
        ${mandateField('iban', 'IBAN', mandate?.iban, mandateDraft, html`required`)}
        ${mandateField('bic', 'BIC', mandate?.bic, mandateDraft)}
        ${mandateField('holder', t.accountHolder, mandate?.holder ?? customer.name, mandateDraft, html`required maxlength="70"`)}
        ${mandateField('bankName', t.bankName, mandate?.bankName, mandateDraft)}
        ${mandateField('reference', t.mandateReference, mandate?.reference, mandateDraft, html`required maxlength="35"`)}
        ${mandateField('signedOn', t.signedOn, mandate?.signedOn, mandateDraft, html`type="date" required`)}
        ${mandateField('signedPlace', t.signedPlace, mandate?.signedPlace, mandateDraft)}
        <label>${t.sequenceType}<select name="sequence">${(['FRST', 'RCUR', 'OOFF', 'FNAL'] as const).map(
          (q) => html`<option ${(mandateDraft?.sequence ?? mandate?.sequence ?? 'FRST') === q ? 'selected' : ''}>${q}</option>`,
        )}</select></label>
        <div><button type="submit" class="primary">${t.save}</button></div>
      </form>
      ${stripeCard({ customer, mandate, link: stripeLink, configured: stripeConfigured, csrf, t })}
      ${statements.length ? statementsCard(customer.ref, statements, timezone, csrf, lang, t) : ''}
      <section class="card"><h2>${t.reminders}</h2>
        ${reminders.length === 0 ? html`<p class="muted">${t.none}</p>` : html`<table>
          <thead><tr><th>Id</th><th>${t.invoice}</th><th>${t.note}</th><th>${t.level}</th><th>${t.user}</th><th>${t.date}</th><th>${t.nextDate}</th><th>${t.status}</th><th>${t.file}</th></tr></thead>
          <tbody>${reminders.map(
            (r) => html`<tr><td>${r.id}</td><td>${r.invoiceNumber}</td><td>${r.note ?? ''}</td><td>${r.level} · ${r.stepName}</td><td>${r.performedBy}</td>
              <td class="nowrap">${formatInstant(r.at, lang, timezone)}</td><td>${r.nextPlannedOn ? formatDate(r.nextPlannedOn, lang) : ''}</td><td>${t.reminderStatuses[r.status]}</td>
              <td>${r.documentId ? letterLinks({ id: r.documentId, filename: 'PDF', toPrint: r.status === 'prepared' }, csrf, t) : ''}</td></tr>`,
          )}</tbody></table>`}
      </section>`;
}

function statementsCard(customerRef: string, statements: StatementSummary[], timezone: string, csrf: string, lang: Lang, t: Messages) {
  return html`<section class="card" id="statements"><h2>${t.statements}</h2><table>
    <thead><tr><th>#</th><th>${t.date}</th><th>${t.status}</th><th class="num">${t.invoices}</th><th></th></tr></thead>
    <tbody>${statements.map((s) => html`<tr data-statement="${s.id}" class="${s.status === 'failed' ? 'row-red' : ''}"><td>${s.id}</td><td class="nowrap">${formatInstant(s.sentAt ?? s.createdAt, lang, timezone)}</td>
      <td>${t.statementStatuses[s.status]}</td><td class="num">${s.invoices}</td>
      <td>${s.status === 'gathering'
        ? html`<span class="muted">${t.statementGathering}</span> <form method="post" action="${sitePath`/customers/${customerRef}/statements/${s.id}/cancel`}" class="inline">
            <input type="hidden" name="_csrf" value="${csrf}"><button class="danger" data-testid="cancel-statement">${t.cancelStatement}</button></form>`
        : s.status === 'failed' ? html`<span class="failed">${s.failureReason ? reasonText(s.failureReason, lang) : ''}</span>`
        : s.status === 'cancelled' ? html`<span class="failed">${t.statementCancelledBy(s.cancelledBy ?? '')}</span>`
        : s.subject ?? ''}</td></tr>`)}</tbody></table></section>`;
}

function mandateField(name: string, label: string, stored: string | null | undefined, draft: Record<string, string> | undefined, attrs = html``) {
  return html`<label>${label}<input name="${name}" value="${draft?.[name] ?? stored ?? ''}" ${attrs}></label>`;
}
