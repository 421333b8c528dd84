import type { Context } from 'hono';
import { html } from 'hono/html';
import { formatDate, formatMoney } from '../../services/format.js';
import { writeAudit } from '../../db/queries/audit.js';
import { customerByRef, invoicesOfCustomer, openInvoiceIdsOfCustomer, remindersOfCustomer } from '../../db/queries/customers.js';
import { mandateOf, saveMandate } from '../../db/queries/mandates.js';
import { listPolicies, setCustomerPolicy } from '../../db/queries/steps.js';
import { getSettings } from '../../db/queries/settings.js';
import { getStripeKeys, stripeLinkOf } from '../../db/queries/stripe.js';
import { cancelStatement, statementsOfCustomer, type StatementSummary } from '../../db/queries/statements.js';
import { statementWorkflowId } from '../../workflows/ids.js';
import { cancelRunWorkflow } from '../../services/temporal/run-client.js';
import type { WebDeps } from '../deps.js';
import { langOf, messages, type Messages } from '../i18n.js';
import { setCustomerPause } from '../invoice-actions.js';
import { mandateForm } from '../sepa/bank-fields.js';
import { wakeWorkflows } from '../../services/temporal/wake-workflows.js';
import { stripeCard } from './customer-stripe.js';
import { parseForm, pauseForm } from './form.js';
import type { AdminEnv } from './env.js';
import { flashOf, outcomeOnPage, type Flash } from './flash.js';
import { sitePath } from './paths.js';
import { letterLinks } from './views/letter-links.js';

/** A customer's page: contact, invoices with balances, and every reminder across them (source 003). */
export async function customerPage(c: Context<AdminEnv>, deps: WebDeps, flash?: Flash, mandateDraft?: Record<string, string>) {
  const lang = langOf(c);
  const t = messages(lang);
  const customer = await customerByRef(deps.sql, c.req.param('ref')!);
  if (!customer) return c.render(t.notFound, html`<p class="card">${t.notFound}</p>`, 404);
  const shown = await outcomeOnPage(c, deps.sql, flash, sitePath`/customers/${customer.ref}`);
  if (shown.redirect) return shown.redirect;
  const [invoices, reminders, settings, policies, mandate, stripeLink, stripeKeys, statements] = await Promise.all([
    invoicesOfCustomer(deps.sql, customer.id),
    remindersOfCustomer(deps.sql, customer.id),
    getSettings(deps.sql),
    listPolicies(deps.sql),
    mandateOf(deps.sql, customer.id),
    stripeLinkOf(deps.sql, customer.id),
    getStripeKeys(deps.sql),
    statementsOfCustomer(deps.sql, customer.id),
  ]);
  const isAdmin = c.get('user').role === 'admin';
  const policyName = policies.find((p) => (customer.policyId === null ? p.isDefault : p.id === customer.policyId))?.name ?? '';
  const when = new Intl.DateTimeFormat(lang === 'en' ? 'en-GB' : 'fr-FR', { dateStyle: 'short', timeStyle: 'short', timeZone: settings.timezone });
  const csrf = c.get('user').csrfToken;
  return c.render(customer.name, html`<h1>${customer.name} <span class="badge">${customer.ref}</span>${customer.paused ? html` <span class="badge">${t.paused}</span>` : ''}</h1>
      ${flashOf(shown.flash)}
      <div class="grid2">
        <section class="card"><h2>${t.contact}</h2>
          <p>${[customer.addressLine1, customer.addressLine2, `${customer.postalCode} ${customer.city}`.trim(), customer.country].filter(Boolean).map((l) => html`${l}<br>`)}</p>
          <p>${customer.emails.length ? customer.emails.join(', ') : html`<span class="failed">⚠ ${t.noEmail}</span>`}</p>
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
      ${stripeCard({ customer, mandate, link: stripeLink, configured: Boolean(stripeKeys.secretKey), csrf, t })}
      ${statements.length ? statementsCard(customer.ref, statements, when, csrf, t) : ''}
      <section class="card"><h2>${t.reminders}</h2>
        ${reminders.length === 0 ? html`<p class="muted">${t.none}</p>` : html`<table>
          <thead><tr><th>Id</th><th>${t.invoice}</th><th>${t.note}</th><th>${t.level}</th><th>${t.user}</th><th>${t.date}</th><th>${t.nextDate}</th><th>${t.status}</th><th>${t.file}</th></tr></thead>
          <tbody>${reminders.map(
            (r) => html`<tr><td>${r.id}</td><td>${r.invoiceNumber}</td><td>${r.note ?? ''}</td><td>${r.level} · ${r.stepName}</td><td>${r.performedBy}</td>
              <td class="nowrap">${when.format(r.at)}</td><td>${r.nextPlannedOn ? formatDate(r.nextPlannedOn, lang) : ''}</td><td>${t.reminderStatuses[r.status]}</td>
              <td>${r.documentId ? letterLinks({ id: r.documentId, filename: 'PDF', toPrint: r.status === 'prepared' }, csrf, t) : ''}</td></tr>`,
          )}</tbody></table>`}
      </section>`, shown.status);
}

function statementsCard(customerRef: string, statements: StatementSummary[], when: Intl.DateTimeFormat, csrf: string, t: Messages) {
  return html`<section class="card" id="statements"><h2>${t.statements}</h2><table>
    <thead><tr><th>#</th><th>${t.date}</th><th>${t.status}</th><th class="num">${t.invoices}</th><th></th></tr></thead>
    <tbody>${statements.map((s) => html`<tr data-statement="${s.id}" class="${s.status === 'failed' ? 'row-red' : ''}"><td>${s.id}</td><td class="nowrap">${when.format(s.sentAt ?? s.createdAt)}</td>
      <td>${t.statementStatuses[s.status]}</td><td class="num">${s.invoices}</td>
      <td>${s.status === 'gathering'
        ? html`<span class="muted">${t.statementGathering}</span> <form method="post" action="${sitePath`/customers/${customerRef}/statements/${s.id}/cancel`}" class="inline">
            <input type="hidden" name="_csrf" value="${csrf}"><button class="danger" data-testid="cancel-statement">${t.cancelStatement}</button></form>`
        : s.status === 'failed' ? html`<span class="failed">${s.failureReason ?? ''}</span>`
        : s.status === 'cancelled' ? html`<span class="failed">${t.statementCancelledBy(s.cancelledBy ?? '')}</span>`
        : s.subject ?? ''}</td></tr>`)}</tbody></table></section>`;
}

/** Stops a statement while it gathers: it is not sent, and its invoices are paused until someone resumes them. */
export async function cancelStatementAction(c: Context<AdminEnv>, deps: WebDeps) {
  const t = messages(langOf(c));
  const customer = await customerByRef(deps.sql, c.req.param('ref')!);
  const statementId = Number(c.req.param('id'));
  if (!customer || !(await statementsOfCustomer(deps.sql, customer.id)).some((s) => s.id === statementId)) return c.notFound();
  const user = c.get('user');
  // Written first: the statement's send, should it start before the engine hears of the cancel, finds it cancelled.
  const paused = await cancelStatement(deps.sql, statementId, user.email);
  if (paused.length === 0) return customerPage(c, deps, { ok: false, text: t.statementTooLate });
  await cancelRunWorkflow(deps.temporal, statementWorkflowId(statementId));
  await writeAudit(deps.sql, { userId: user.id, action: 'statement.cancel', entity: `statement:${statementId}`, before: null, after: { paused } });
  await wakeWorkflows(deps, paused);
  return customerPage(c, deps, { ok: true, text: t.statementCancelled(paused.length) });
}

export async function pauseCustomerAction(c: Context<AdminEnv>, deps: WebDeps) {
  const t = messages(langOf(c));
  const customer = await customerByRef(deps.sql, c.req.param('ref')!);
  if (!customer) return customerPage(c, deps);
  const form = parseForm(pauseForm, await c.req.parseBody());
  if (!form.ok) return customerPage(c, deps, { ok: false, text: `${t.refused}: ${form.message}` });
  await setCustomerPause(deps, customer.id, { paused: true, reason: form.value.reason, actor: c.get('user').email });
  return customerPage(c, deps, { ok: true, text: t.done });
}

export async function resumeCustomerAction(c: Context<AdminEnv>, deps: WebDeps) {
  const customer = await customerByRef(deps.sql, c.req.param('ref')!);
  if (!customer) return customerPage(c, deps);
  await setCustomerPause(deps, customer.id, { paused: false, reason: null, actor: c.get('user').email });
  return customerPage(c, deps, { ok: true, text: messages(langOf(c)).done });
}

/** Gives the customer another policy or takes it out of dunning; its workflows replan at once. */
export async function customerPolicyAction(c: Context<AdminEnv>, deps: WebDeps) {
  const t = messages(langOf(c));
  const customer = await customerByRef(deps.sql, c.req.param('ref')!);
  if (!customer) return customerPage(c, deps);
  const form = await c.req.parseBody();
  const policyId = form.policy ? Number(form.policy) : null;
  if (policyId !== null && !(await listPolicies(deps.sql)).some((p) => p.id === policyId)) return customerPage(c, deps, { ok: false, text: `${t.refused}: policy: not found` });
  const after = { policyId, excluded: form.excluded === 'on', isBusiness: form.isBusiness === 'on' };
  await setCustomerPolicy(deps.sql, customer.id, after);
  await writeAudit(deps.sql, {
    userId: c.get('user').id, action: 'customer.policy', entity: `customer:${customer.ref}`,
    before: { policyId: customer.policyId, excluded: customer.dunningExcluded, isBusiness: customer.isBusiness }, after,
  });
  await wakeWorkflows(deps, await openInvoiceIdsOfCustomer(deps.sql, customer.id), 'steps');
  return customerPage(c, deps, { ok: true, text: t.done });
}

function mandateField(name: string, label: string, stored: string | null | undefined, draft: Record<string, string> | undefined, attrs = html``) {
  return html`<label>${label}<input name="${name}" value="${draft?.[name] ?? stored ?? ''}" ${attrs}></label>`;
}

/** The customer's bank account and SEPA mandate; every field is checked before anything is saved. */
export async function customerMandateAction(c: Context<AdminEnv>, deps: WebDeps) {
  const t = messages(langOf(c));
  const customer = await customerByRef(deps.sql, c.req.param('ref')!);
  if (!customer) return customerPage(c, deps);
  const form = Object.fromEntries(Object.entries(await c.req.parseBody()).map(([k, v]) => [k, String(v)]));
  const parsed = parseForm(mandateForm, form);
  if (!parsed.ok) return customerPage(c, deps, { ok: false, text: `${t.refused}: ${parsed.message}` }, form);
  const before = await mandateOf(deps.sql, customer.id);
  if ((await saveMandate(deps.sql, { customerId: customer.id, ...parsed.value })) === 'taken') {
    return customerPage(c, deps, { ok: false, text: `${t.refused}: reference: ${t.mandateTaken}` }, form);
  }
  await writeAudit(deps.sql, { userId: c.get('user').id, action: 'customer.mandate', entity: `customer:${customer.ref}`, before: before ?? null, after: parsed.value });
  return customerPage(c, deps, { ok: true, text: t.done });
}
