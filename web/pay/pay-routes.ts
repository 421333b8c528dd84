import { Hono, type Context } from 'hono';
import { html } from 'hono/html';
import { formatDate, formatMoney } from '../../services/format.js';
import { payLink } from '../../services/pay-link.js';
import { customerFacingPage, openSigned } from './signed-page.js';
import { createCheckout } from './checkout.js';
import { stripeErrorMessage } from '../../services/stripe/stripe-errors.js';
import { customerById, invoicesOfCustomer } from '../../db/queries/customers.js';
import { invoiceFacts } from '../../db/queries/invoices.js';
import type { WebDeps } from '../deps.js';

const WORDS = {
  fr: {
    title: 'Paiement en ligne', paid: (n: string) => `La facture ${n} est réglée : merci.`, unavailable: "Le paiement en ligne n'est pas disponible : merci de régler par virement.",
    failed: 'Le paiement en ligne est momentanément indisponible', thanks: 'Merci : votre paiement est en cours de confirmation.', open: 'Vos factures à régler', pay: 'Payer', none: 'Aucune facture à régler : merci.',
    invoice: 'Facture', due: 'Échéance', balance: 'Reste dû',
  },
  en: {
    title: 'Online payment', paid: (n: string) => `Invoice ${n} is paid: thank you.`, unavailable: 'Online payment is not available: please pay by bank transfer.',
    failed: 'Online payment is unavailable for the moment', thanks: 'Thank you: your payment is being confirmed.', open: 'Your invoices to pay', pay: 'Pay', none: 'Nothing left to pay: thank you.',
    invoice: 'Invoice', due: 'Due date', balance: 'Balance',
  },
};
type Words = (typeof WORDS)['fr'];

async function page(c: Context, deps: WebDeps, language: string, content: (w: Words) => unknown, status: 200 | 404 | 410 | 502 = 200) {
  const w = WORDS[language === 'en' ? 'en' : 'fr'];
  return customerFacingPage(c, deps, language, w.title, html`<section class="card">${content(w)}</section>`, status);
}

/**
 * The customer's side of a pay link: no account, the signed link is the key. An invoice's link
 * opens a Stripe Checkout for its balance at that moment; a customer's link lists what is open.
 */
export function createPayRoutes(deps: WebDeps) {
  const app = new Hono();

  app.get('/done', (c) => page(c, deps, c.req.query('lang') ?? 'fr', (w) => html`<p class="notice">${w.thanks}</p>`));

  app.get('/invoice/:id{[0-9]{1,15}}/:token', async (c) => {
    const opening = await openSigned(c, deps, 'invoice', async (id) => {
      const invoice = await invoiceFacts(deps.sql, id);
      return invoice && { invoice, customer: (await customerById(deps.sql, invoice.customerId))! };
    }, (r) => r.customer.language);
    if ('refused' in opening) return opening.refused;
    const { invoice, customer } = opening.record;
    const balance = invoice.totalCents - invoice.paidCents;
    if (invoice.status !== 'open' || balance <= 0) return page(c, deps, customer.language, (w) => html`<p class="notice">${w.paid(invoice.number)}</p>`);
    try {
      const url = await createCheckout(deps, customer, [{ id: invoice.id, number: invoice.number, currency: invoice.currency, balanceCents: balance }], {
        success: `${deps.publicUrl}/pay/done?lang=${customer.language}`, cancel: c.req.url,
      });
      return url ? c.redirect(url, 303) : page(c, deps, customer.language, (w) => html`<p>${w.unavailable}</p>`);
    } catch (err) {
      return page(c, deps, customer.language, (w) => html`<p class="error">${w.failed}: ${stripeErrorMessage(err)}</p>`, 502);
    }
  });

  app.get('/customer/:id{[0-9]{1,15}}/:token', async (c) => {
    const opening = await openSigned(c, deps, 'customer', (id) => customerById(deps.sql, id), (r) => r.language);
    if ('refused' in opening) return opening.refused;
    const { record: customer, secret, today } = opening;
    const open = (await invoicesOfCustomer(deps.sql, customer.id)).filter((i) => i.status === 'open' && i.totalCents > i.paidCents).reverse();
    const lang = customer.language;
    return page(c, deps, lang, (w) =>
      open.length === 0
        ? html`<p class="notice">${w.none}</p>`
        : html`<h2>${w.open}</h2><table><thead><tr><th>${w.invoice}</th><th>${w.due}</th><th class="num">${w.balance}</th><th></th></tr></thead><tbody>
          ${open.map((o) => html`<tr><td>${o.number}</td><td>${o.dueDate ? formatDate(o.dueDate, lang) : ''}</td><td class="num">${formatMoney(o.totalCents - o.paidCents, o.currency, lang)}</td>
            <td><a class="button" href="${payLink(deps.publicUrl, secret, 'invoice', o.id, today)}">${w.pay}</a></td></tr>`)}</tbody></table>`,
    );
  });
  return app;
}
