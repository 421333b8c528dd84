import { Hono, type Context } from 'hono';
import { html } from 'hono/html';
import { z } from 'zod';
import { customerById, type Customer } from '../../db/queries/customers.js';
import { openDispute, recordPromise } from '../../db/queries/disputes.js';
import { invoicePdfOf } from '../../db/queries/invoice-files.js';
import { CUSTOMER_ACTOR, portalActionsSince, portalInvoicesOf } from '../../db/queries/portal.js';
import { getSepaCreditor } from '../../db/queries/settings.js';
import { getStripeKeys, payLinkSecret } from '../../db/queries/stripe.js';
import { formatDate, formatMoney } from '../../services/format.js';
import { checkShortPortalCode, payLink } from '../../services/pay-link.js';
import { creditorReference } from '../../services/sepa/creditor-reference.js';
import { wakeWorkflows } from '../../services/temporal/wake-workflows.js';
import { isIsoDate } from '../../workflows/schedule/calendar-date.js';
import { centsOf } from '../admin/form.js';
import type { WebDeps } from '../deps.js';
import { validationText } from '../validation-texts.js';
import { customerFacingPage, openSigned } from './signed-page.js';
import { createCheckout, MAX_INVOICES_PER_CHECKOUT } from './checkout.js';
import { stripeErrorMessage } from '../../services/stripe/stripe-errors.js';

/** Why a customer disputes an invoice: the choices its page offers. */
export const DISPUTE_REASONS = ['not_received', 'wrong_amount', 'defective', 'already_paid', 'other'] as const;
type DisputeReason = (typeof DISPUTE_REASONS)[number];

/** What one customer may do on its page in an hour: enough for a real answer, not for a flood. */
export const PORTAL_ACTIONS_PER_HOUR = 10;

const WORDS = {
  fr: {
    title: 'Votre espace client', intro: 'Vos factures à régler', none: 'Aucune facture à régler : merci.',
    invoice: 'Facture', issued: 'Émise le', due: 'Échéance', balance: 'Reste dû', pay: 'Payer en ligne', pdf: 'PDF de la facture',
    select: 'Choisir', paySelection: 'Payer en ligne les factures cochées', payFailed: 'Le paiement en ligne est momentanément indisponible',
    disputed: 'Contestée : notre service comptabilité revient vers vous ; aucune relance d’ici là.',
    promised: (amount: string, date: string) => `Vous avez promis de régler ${amount} au plus tard le ${date} : aucune relance d’ici là.`,
    promise: 'Je paierai le…', amount: 'Montant', date: 'Date', promiseButton: 'Enregistrer ma promesse de paiement',
    dispute: 'Je conteste cette facture', reason: 'Motif', message: 'Votre message', disputeButton: 'Envoyer ma contestation',
    reasons: { not_received: 'Produit ou prestation non reçu', wrong_amount: 'Montant erroné', defective: 'Produit ou prestation non conforme', already_paid: 'Facture déjà réglée', other: 'Autre motif' } as Record<DisputeReason, string>,
    transfer: 'Payer par virement', holder: 'Bénéficiaire', reference: 'Référence à indiquer', referenceHelp: 'Indiquez la référence de la facture réglée dans le libellé du virement.',
    done: { promise: 'Merci : votre promesse de paiement est enregistrée. Nous ne vous relancerons pas d’ici là.', dispute: 'Votre contestation est enregistrée : notre service comptabilité vous répondra. Les relances de cette facture sont suspendues.' },
    refused: 'Refusé', tooMany: 'Trop de demandes en peu de temps : réessayez dans une heure, ou contactez-nous.',
    fields: { invoice: 'Facture', invoices: 'Factures', amount: 'Montant', promisedOn: 'Date', reason: 'Motif', message: 'Votre message' } as Record<string, string>,
  },
  en: {
    title: 'Your customer page', intro: 'Your invoices to pay', none: 'Nothing left to pay: thank you.',
    invoice: 'Invoice', issued: 'Issued', due: 'Due date', balance: 'Balance', pay: 'Pay online', pdf: 'Invoice PDF',
    select: 'Choose', paySelection: 'Pay the ticked invoices online', payFailed: 'Online payment is unavailable for the moment',
    disputed: 'Disputed: our accounts department will get back to you; no reminder until then.',
    promised: (amount: string, date: string) => `You promised to pay ${amount} by ${date}: no reminder until then.`,
    promise: 'I will pay on…', amount: 'Amount', date: 'Date', promiseButton: 'Record my promise to pay',
    dispute: 'I dispute this invoice', reason: 'Reason', message: 'Your message', disputeButton: 'Send my dispute',
    reasons: { not_received: 'Goods or service not received', wrong_amount: 'Wrong amount', defective: 'Goods or service not as ordered', already_paid: 'Already paid', other: 'Another reason' } as Record<DisputeReason, string>,
    transfer: 'Pay by bank transfer', holder: 'Beneficiary', reference: 'Reference to give', referenceHelp: "Give the paid invoice's reference in the transfer's details.",
    done: { promise: 'Thank you: your promise to pay is recorded. We will not remind you until then.', dispute: 'Your dispute is recorded: our accounts department will answer. Reminders of this invoice are on hold.' },
    refused: 'Refused', tooMany: 'Too many requests in a short time: try again in an hour, or contact us.',
    fields: { invoice: 'Invoice', invoices: 'Invoices', amount: 'Amount', promisedOn: 'Date', reason: 'Reason', message: 'Your message' } as Record<string, string>,
  },
};

const promiseForm = z.object({
  invoice: z.coerce.number().int().positive(),
  amount: z.string().transform((v, ctx) => {
    const cents = centsOf(v);
    if (cents === undefined || cents <= 0) ctx.addIssue({ code: 'custom', message: 'an amount above zero such as 250.00' });
    return cents ?? 0;
  }),
  promisedOn: z.string().refine(isIsoDate, 'a date YYYY-MM-DD'),
});
const disputeForm = z.object({
  invoice: z.coerce.number().int().positive(),
  reason: z.enum(DISPUTE_REASONS, 'one of the reasons offered'),
  message: z.string().trim().max(1000, 'at most 1000 characters'),
});

type Problem = { field: string; message: string };

/**
 * The customer's own page, opened from the signed link of its reminders (no account): what it owes,
 * paying online or by transfer with the reference to give, promising a date, disputing an invoice.
 * What it does goes on the timeline "by the customer" and holds the dunning as finance's own
 * promises and disputes do. Every action is checked against this customer's invoices only.
 */
export function createPortalRoutes(deps: WebDeps) {
  const app = new Hono();
  const opened = (c: Context) => openSigned<Customer>(c, deps, 'portal', (id) => customerById(deps.sql, id), (customer) => customer.language);
  const wordsOf = (customer: Customer) => WORDS[customer.language === 'en' ? 'en' : 'fr'];

  async function portalPage(c: Context, customer: Customer, secret: string, today: string, shown: { done?: 'promise' | 'dispute'; problems?: Problem[] } = {}, status: 200 | 422 | 429 | 502 = 200) {
    const w = wordsOf(customer);
    const lang = customer.language;
    const [invoices, stripe, bank] = await Promise.all([portalInvoicesOf(deps.sql, customer.id), getStripeKeys(deps.sql), getSepaCreditor(deps.sql)]);
    const here = c.req.path.replace(/\/(promise|dispute)$/, '');
    const money = (cents: number, currency: string) => formatMoney(cents, currency, lang);
    // Several invoices to pay online: they can be paid in one checkout.
    const several = Boolean(stripe.secretKey) && invoices.length > 1;
    const problems = shown.problems?.length
      ? html`<p class="error" role="alert">${w.refused}: ${shown.problems.map((p) => `${w.fields[p.field] ?? p.field}${lang === 'fr' ? ' : ' : ': '}${validationText(p.message, lang)}`).join(' · ')}</p>`
      : '';
    const body = html`${shown.done ? html`<p class="notice" role="status">${w.done[shown.done]}</p>` : ''}${problems}
      <section class="card"><h2>${w.intro}</h2>
      ${invoices.length === 0 ? html`<p class="notice">${w.none}</p>` : html`<table data-testid="portal-invoices"><thead><tr>${several ? html`<th>${w.select}</th>` : ''}<th>${w.invoice}</th><th>${w.issued}</th><th>${w.due}</th><th class="num">${w.balance}</th><th></th></tr></thead><tbody>
        ${invoices.map((i) => html`<tr data-invoice="${i.number}">${several ? html`<td><input type="checkbox" name="invoices" value="${i.id}" form="pay-selection" aria-label="${w.select} ${i.number}" checked></td>` : ''}<td>${i.number}</td><td>${formatDate(i.issueDate, lang)}</td><td>${i.dueDate ? formatDate(i.dueDate, lang) : ''}</td>
          <td class="num">${money(i.balanceCents, i.currency)}</td>
          <td>${stripe.secretKey ? html`<a class="button primary" href="${payLink(deps.publicUrl, secret, 'invoice', i.id, today)}">${w.pay}</a> ` : ''}${i.hasPdf ? html`<a href="${here}/invoices/${i.id}/pdf">${w.pdf}</a>` : ''}</td></tr>
          <tr><td colspan="${several ? 6 : 5}">
            ${i.disputed ? html`<p class="notice" data-testid="disputed">${w.disputed}</p>` : ''}
            ${i.promise ? html`<p class="notice" data-testid="promised">${w.promised(money(i.promise.amountCents, i.currency), formatDate(i.promise.promisedOn, lang))}</p>` : ''}
            ${i.disputed || i.promise ? '' : html`<details><summary>${w.promise}</summary>
              <form method="post" action="${here}/promise" class="action"><input type="hidden" name="invoice" value="${i.id}">
                <label>${w.amount}<input name="amount" value="${(i.balanceCents / 100).toFixed(2)}" inputmode="decimal" required></label>
                <label>${w.date}<input type="date" name="promisedOn" min="${today}" required></label>
                <button type="submit">${w.promiseButton}</button></form></details>`}
            ${i.disputed ? '' : html`<details><summary>${w.dispute}</summary>
              <form method="post" action="${here}/dispute" class="action"><input type="hidden" name="invoice" value="${i.id}">
                <label>${w.reason}<select name="reason">${DISPUTE_REASONS.map((r) => html`<option value="${r}">${w.reasons[r]}</option>`)}</select></label>
                <label>${w.message}<textarea name="message" maxlength="1000" rows="3"></textarea></label>
                <button type="submit">${w.disputeButton}</button></form></details>`}
          </td></tr>`)}
      </tbody></table>`}
      ${several ? html`<form method="post" action="${here}/pay" id="pay-selection" class="action"><button type="submit" class="primary">${w.paySelection}</button></form>` : ''}
      </section>
      ${bank.iban && invoices.length
        ? html`<section class="card" data-testid="transfer"><h2>${w.transfer}</h2>
            <p>${w.holder} : ${bank.name}<br>IBAN : ${bank.iban.replace(/(.{4})/g, '$1 ').trim()}${bank.bic ? html`<br>BIC : ${bank.bic}` : ''}</p>
            <p class="muted">${w.referenceHelp}</p>
            <table><tbody>${invoices.map((i) => html`<tr><td>${i.number}</td><td><code>${creditorReference(i.number)}</code></td></tr>`)}</tbody></table></section>`
        : ''}`;
    return customerFacingPage(c, deps, lang, w.title, body, status);
  }

  /** A customer's action on one of its own invoices: limited per hour, checked, written, its workflow told. */
  function action<S extends z.ZodType<{ invoice: number }>>(schema: S, perform: (customer: Customer, form: z.infer<S>, today: string) => Promise<{ ok: true } | { ok: false; field: string; message: string }>, done: 'promise' | 'dispute') {
    return async (c: Context) => {
      const opening = await opened(c);
      if ('refused' in opening) return opening.refused;
      const { record: customer, secret, today } = opening;
      if ((await portalActionsSince(deps.sql, customer.id, new Date(Date.now() - 3_600_000))) >= PORTAL_ACTIONS_PER_HOUR) {
        return customerFacingPage(c, deps, customer.language, wordsOf(customer).title, html`<p class="error" role="alert">${wordsOf(customer).tooMany}</p>`, 429);
      }
      const parsed = schema.safeParse(await c.req.parseBody());
      if (!parsed.success) return portalPage(c, customer, secret, today, { problems: parsed.error.issues.map((i) => ({ field: String(i.path[0] ?? 'form'), message: i.message })) }, 422);
      // Only this customer's invoices still to pay: another's id is answered as if it did not exist.
      if (!(await portalInvoicesOf(deps.sql, customer.id)).some((i) => i.id === parsed.data.invoice)) return portalPage(c, customer, secret, today, { problems: [{ field: 'invoice', message: 'not found' }] }, 422);
      const outcome = await perform(customer, parsed.data, today);
      if (!outcome.ok) return portalPage(c, customer, secret, today, { problems: [outcome] }, 422);
      await wakeWorkflows(deps, [parsed.data.invoice]);
      return c.redirect(`${c.req.path.replace(/\/(promise|dispute)$/, '')}?done=${done}`, 303);
    };
  }

  const base = '/:id{[0-9]{1,15}}/:token';
  app.get(base, async (c) => {
    const opening = await opened(c);
    if ('refused' in opening) return opening.refused;
    const done = c.req.query('done');
    return portalPage(c, opening.record, opening.secret, opening.today, { done: done === 'promise' || done === 'dispute' ? done : undefined });
  });

  app.post(`${base}/pay`, async (c) => {
    const opening = await opened(c);
    if ('refused' in opening) return opening.refused;
    const { record: customer, secret, today } = opening;
    const chosen = new Set([(await c.req.parseBody({ all: true })).invoices ?? []].flat().map(Number));
    const invoices = (await portalInvoicesOf(deps.sql, customer.id)).filter((i) => chosen.has(i.id));
    const problem = invoices.length === 0 || invoices.length !== chosen.size ? 'not found'
      : invoices.length > MAX_INVOICES_PER_CHECKOUT ? `at most ${MAX_INVOICES_PER_CHECKOUT} at once`
      : new Set(invoices.map((i) => i.currency)).size > 1 ? 'one currency at a time' : undefined;
    if (problem) return portalPage(c, customer, secret, today, { problems: [{ field: 'invoices', message: problem }] }, 422);
    const back = `${deps.publicUrl}${c.req.path.replace(/\/pay$/, '')}`;
    try {
      const url = await createCheckout(deps, customer, invoices, { success: `${deps.publicUrl}/pay/done?lang=${customer.language}`, cancel: back });
      if (url) return c.redirect(url, 303);
    } catch (err) {
      return portalPage(c, customer, secret, today, { problems: [{ field: 'invoices', message: `${wordsOf(customer).payFailed}: ${stripeErrorMessage(err)}` }] }, 502);
    }
    return portalPage(c, customer, secret, today, { problems: [{ field: 'invoices', message: wordsOf(customer).payFailed }] }, 422);
  });

  app.post(`${base}/promise`, action(promiseForm, async (_customer, form, today) => {
    if (form.promisedOn < today) return { ok: false, field: 'promisedOn', message: `today or later (${today})` };
    return recordPromise(deps.sql, { invoiceId: form.invoice, amountCents: form.amount, promisedOn: form.promisedOn, actor: CUSTOMER_ACTOR });
  }, 'promise'));

  app.post(`${base}/dispute`, action(disputeForm, async (customer, form) => {
    const reason = [wordsOf(customer).reasons[form.reason], form.message].filter(Boolean).join(' — ');
    // Nobody owns it yet: the dashboard lists it as to handle.
    return openDispute(deps.sql, { invoiceId: form.invoice, reason, owner: '', actor: CUSTOMER_ACTOR });
  }, 'dispute'));

  app.get(`${base}/invoices/:invoice{[0-9]{1,15}}/pdf`, async (c) => {
    const opening = await opened(c);
    if ('refused' in opening) return opening.refused;
    const invoiceId = Number(c.req.param('invoice'));
    const own = (await portalInvoicesOf(deps.sql, opening.record.id)).find((i) => i.id === invoiceId);
    const pdf = own && (await invoicePdfOf(deps.sql, invoiceId));
    if (!pdf) return c.notFound();
    c.header('Content-Type', 'application/pdf');
    c.header('Content-Disposition', `inline; filename="${own.number.replace(/[^\w.-]/g, '_')}.pdf"`);
    return c.body(pdf as Uint8Array<ArrayBuffer>);
  });
  return app;
}

/** A letter's short address (`/p/…`): its signature checked, the customer is sent on to the signed page of that day. */
export function createShortPortalRoutes(deps: WebDeps) {
  return new Hono().get('/:code{[0-9A-Fa-f-]{1,60}}', async (c) => {
    const secret = await payLinkSecret(deps.sql);
    const opened = checkShortPortalCode(secret, c.req.param('code'));
    if (!opened) return c.notFound();
    return c.redirect(payLink(deps.publicUrl, secret, 'portal', opened.customerId, opened.issuedOn), 303);
  });
}
