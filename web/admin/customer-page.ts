import type { Context } from 'hono';
import { writeAudit } from '../../db/queries/audit.js';
import { customerByRef, invoicesOfCustomer, openInvoiceIdsOfCustomer, remindersOfCustomer } from '../../db/queries/customers.js';
import { mandateOf, saveMandate } from '../../db/queries/mandates.js';
import { listPolicies, setCustomerPolicy } from '../../db/queries/steps.js';
import { getSettings } from '../../db/queries/settings.js';
import { getStripeKeys, stripeLinkOf } from '../../db/queries/stripe.js';
import { cancelStatement, statementsOfCustomer } from '../../db/queries/statements.js';
import { statementWorkflowId } from '../../workflows/ids.js';
import { cancelRunWorkflow } from '../../services/temporal/run-client.js';
import type { WebDeps } from '../deps.js';
import { langOf, messages } from '../i18n.js';
import { setCustomerPause } from '../invoice-actions.js';
import { mandateForm } from '../sepa/bank-fields.js';
import { wakeWorkflows } from '../../services/temporal/wake-workflows.js';
import { customerView } from './views/customer.js';
import { parseForm, pauseForm, refusal } from './form.js';
import type { AdminEnv } from './env.js';
import { messageView } from './views/message.js';
import { outcomeOnPage, type Flash } from './flash.js';
import { listPaymentTerms, setCustomerPaymentTerms } from '../../db/queries/payment-terms.js';
import { sitePath } from './paths.js';

/** A customer's page: contact, invoices with balances, and every reminder across them (source 003). */
export async function customerPage(c: Context<AdminEnv>, deps: WebDeps, flash?: Flash, mandateDraft?: Record<string, string>) {
  const lang = langOf(c);
  const t = messages(lang);
  const customer = await customerByRef(deps.sql, c.req.param('ref')!);
  if (!customer) return c.render(t.notFound, messageView(t.notFound), 404);
  const shown = await outcomeOnPage(c, deps.sql, flash, sitePath`/customers/${customer.ref}`);
  if (shown.redirect) return shown.redirect;
  const [invoices, reminders, settings, policies, mandate, stripeLink, stripeKeys, statements, paymentTerms] = await Promise.all([
    invoicesOfCustomer(deps.sql, customer.id),
    remindersOfCustomer(deps.sql, customer.id),
    getSettings(deps.sql),
    listPolicies(deps.sql),
    mandateOf(deps.sql, customer.id),
    stripeLinkOf(deps.sql, customer.id),
    getStripeKeys(deps.sql),
    statementsOfCustomer(deps.sql, customer.id),
    listPaymentTerms(deps.sql),
  ]);
  const view = customerView({
    customer, invoices, reminders, policies, paymentTerms, mandate, stripeLink, stripeConfigured: Boolean(stripeKeys.secretKey), statements, mandateDraft,
    isAdmin: c.get('user').role === 'admin', timezone: settings.timezone, csrf: c.get('user').csrfToken, flash: shown.flash, lang, t,
  });
  return c.render(customer.name, view, shown.status);
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
  const form = parseForm(pauseForm, await c.req.parseBody(), langOf(c));
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
  if (policyId !== null && !(await listPolicies(deps.sql)).some((p) => p.id === policyId)) return customerPage(c, deps, { ok: false, text: refusal(c, 'policy', `not found`) });
  const after = { policyId, excluded: form.excluded === 'on', isBusiness: form.isBusiness === 'on' };
  await setCustomerPolicy(deps.sql, customer.id, after);
  await writeAudit(deps.sql, {
    userId: c.get('user').id, action: 'customer.policy', entity: `customer:${customer.ref}`,
    before: { policyId: customer.policyId, excluded: customer.dunningExcluded, isBusiness: customer.isBusiness }, after,
  });
  await wakeWorkflows(deps, await openInvoiceIdsOfCustomer(deps.sql, customer.id), 'steps');
  return customerPage(c, deps, { ok: true, text: t.done });
}

/** The terms that compute the due date of the customer's invoices that come without one. */
export async function customerPaymentTermsAction(c: Context<AdminEnv>, deps: WebDeps) {
  const t = messages(langOf(c));
  const customer = await customerByRef(deps.sql, c.req.param('ref')!);
  if (!customer) return customerPage(c, deps);
  const form = await c.req.parseBody();
  const termsId = form.paymentTerms ? Number(form.paymentTerms) : null;
  if (termsId !== null && !(await listPaymentTerms(deps.sql)).some((p) => p.id === termsId)) return customerPage(c, deps, { ok: false, text: refusal(c, 'paymentTerms', 'not found') });
  await setCustomerPaymentTerms(deps.sql, customer.id, termsId);
  await writeAudit(deps.sql, { userId: c.get('user').id, action: 'customer.payment_terms', entity: `customer:${customer.ref}`, before: { paymentTermsId: customer.paymentTermsId }, after: { paymentTermsId: termsId } });
  return customerPage(c, deps, { ok: true, text: t.done });
}

/** The customer's bank account and SEPA mandate; every field is checked before anything is saved. */
export async function customerMandateAction(c: Context<AdminEnv>, deps: WebDeps) {
  const t = messages(langOf(c));
  const customer = await customerByRef(deps.sql, c.req.param('ref')!);
  if (!customer) return customerPage(c, deps);
  const form = Object.fromEntries(Object.entries(await c.req.parseBody()).map(([k, v]) => [k, String(v)]));
  const parsed = parseForm(mandateForm, form, langOf(c));
  if (!parsed.ok) return customerPage(c, deps, { ok: false, text: `${t.refused}: ${parsed.message}` }, form);
  const before = await mandateOf(deps.sql, customer.id);
  if ((await saveMandate(deps.sql, { customerId: customer.id, ...parsed.value })) === 'taken') {
    return customerPage(c, deps, { ok: false, text: refusal(c, 'reference', t.mandateTaken) }, form);
  }
  await writeAudit(deps.sql, { userId: c.get('user').id, action: 'customer.mandate', entity: `customer:${customer.ref}`, before: before ?? null, after: parsed.value });
  return customerPage(c, deps, { ok: true, text: t.done });
}
