import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { saveInvoicePdf } from '../../db/queries/invoice-files.js';
import { payLinkSecret } from '../../db/queries/stripe.js';
import { formatMoney } from '../../services/format.js';
import { payLink, shortPortalLink } from '../../services/pay-link.js';
import { creditorReference } from '../../services/sepa/creditor-reference.js';
import { addDays } from '../../workflows/schedule/calendar-date.js';
import { localDate } from '../../workflows/schedule/zoned-time.js';
import { ORIGIN, signIn } from '../helpers/admin-session.js';
import { freshDatabase, timelineTexts } from '../helpers/database.js';
import { makeCustomer, makeInvoice } from '../helpers/fixtures.js';
import { testApp } from '../helpers/stack.js';
import { timeSkippingEnvironment } from '../helpers/temporal.js';

let env: TestWorkflowEnvironment;
let db: Awaited<ReturnType<typeof freshDatabase>>;
let app: ReturnType<typeof testApp>;
let secret: string;
const today = localDate(Date.now(), 'Europe/Paris');
const overdue = addDays(today, -20);

beforeAll(async () => {
  [env, db] = await Promise.all([timeSkippingEnvironment(), freshDatabase()]);
  app = testApp(db.sql, env.client, 'portal');
  secret = await payLinkSecret(db.sql);
  await db.sql`update settings set sepa_creditor_name = 'Ma Société SAS', sepa_iban = 'FR7630006000011234567890189', sepa_bic = 'AGRIFRPP'`;
});
afterAll(async () => {
  await db?.drop();
  await env?.teardown();
});

/** The customer's link as its reminders carry it: the path of the portal, signed for that customer and day. */
const portalOf = (customerId: number, issuedOn = today) => new URL(payLink(ORIGIN, secret, 'portal', customerId, issuedOn)).pathname;
const get = async (path: string) => {
  const res = await app.request(path);
  return { status: res.status, body: (await res.text()).replaceAll('&#39;', "'").replaceAll('&quot;', '"') };
};
const post = async (path: string, fields: Record<string, string>) => {
  const res = await app.request(path, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams(fields).toString() });
  return { status: res.status, location: res.headers.get('location'), body: (await res.text()).replaceAll('&#39;', "'") };
};

it("shows the customer its own open invoices, their PDFs and how to pay by transfer, and nobody else's", async () => {
  const mine = await makeCustomer(db.sql, { ref: 'C-PORTAL' });
  const other = await makeCustomer(db.sql, { ref: 'C-OTHER', name: 'Autre Client SA' });
  const invoice = await makeInvoice(db.sql, mine, { number: 'F-P-1', dueDate: overdue, totalCents: 120_000 });
  await makeInvoice(db.sql, other, { number: 'F-OTHER-1', dueDate: overdue });
  await saveInvoicePdf(db.sql, invoice.id, new TextEncoder().encode('%PDF-1.4 billing'), 1);

  const page = await get(portalOf(mine));
  expect(page.status).toBe(200);
  expect(page.body).toContain('<html lang="fr">');
  expect(page.body).toContain('data-invoice="F-P-1"');
  expect(page.body).toContain(formatMoney(120_000, 'EUR', 'fr'));
  expect(page.body).not.toContain('F-OTHER-1');
  expect(page.body).not.toContain('Autre Client');
  // The transfer details with the reference that matches the payment to the invoice.
  expect(page.body).toContain('IBAN : FR76 3000 6000 0112 3456 7890 189');
  expect(page.body).toContain(creditorReference('F-P-1'));
  const pdf = await app.request(`${portalOf(mine)}/invoices/${invoice.id}/pdf`);
  expect(pdf.headers.get('content-type')).toBe('application/pdf');
  // Another customer's invoice is not found through this link.
  const [{ id: otherInvoice }] = await db.sql<[{ id: number }]>`select id from invoices where number = 'F-OTHER-1'`;
  expect((await app.request(`${portalOf(mine)}/invoices/${otherInvoice}/pdf`)).status).toBe(404);
});

it('refuses a forged, altered, borrowed or expired link without saying what exists', async () => {
  const mine = await makeCustomer(db.sql);
  const other = await makeCustomer(db.sql);
  const link = portalOf(mine);
  const [, , , day, signature] = link.split(/[/.]/);
  const forged = await get(`/portal/${mine}/${day}.${'A'.repeat(32)}`);
  const borrowed = await get(`/portal/${other}/${day}.${signature}`);
  const unknown = await get(`/portal/999999999/${day}.${signature}`);
  const redated = await get(`/portal/${mine}/${addDays(today, 1).replaceAll('-', '')}.${signature}`);
  for (const refused of [forged, borrowed, unknown, redated]) expect(refused.status).toBe(404);
  // The same answer whether the customer exists or not: nothing to enumerate.
  expect(borrowed.body).toBe(unknown.body);
  // An invoice's pay link does not open a portal, nor a portal link a checkout.
  expect((await get(new URL(payLink(ORIGIN, secret, 'invoice', mine, today)).pathname.replace('/pay/invoice', '/portal'))).status).toBe(404);
  // A letter's short address, altered, opens nothing.
  const short = new URL(shortPortalLink(ORIGIN, secret, mine, today)).pathname;
  expect((await app.request(short)).status).toBe(303);
  expect((await app.request(short.replace(/.$/, (ch) => (ch === '0' ? '1' : '0')))).status).toBe(404);
  expect((await app.request(short.replace(`/p/${mine}-`, `/p/${other}-`))).status).toBe(404);
  const expired = await get(portalOf(mine, addDays(today, -400)));
  expect(expired.status).toBe(410);
  expect(expired.body).toContain('Ce lien de paiement a expiré.');
  expect((await post(`${portalOf(mine, addDays(today, -400))}/promise`, { invoice: '1', amount: '10', promisedOn: today })).status).toBe(410);
});

it('records a promise to pay by the customer: never past, never above the balance, once; dunning holds and finance sees it', async () => {
  const customer = await makeCustomer(db.sql);
  const invoice = await makeInvoice(db.sql, customer, { number: 'F-P-PROMISE', dueDate: overdue, totalCents: 50_000 });
  const link = portalOf(customer);
  const past = await post(`${link}/promise`, { invoice: String(invoice.id), amount: '100', promisedOn: addDays(today, -1) });
  expect(past.status).toBe(422);
  expect(past.body).toContain("Refusé: Date : aujourd'hui ou plus tard");
  const tooMuch = await post(`${link}/promise`, { invoice: String(invoice.id), amount: '600', promisedOn: addDays(today, 10) });
  expect(tooMuch.body).toContain('Refusé: Montant : au plus le reste dû, 500,00');
  expect((await db.sql`select count(*)::int as n from payment_promises where invoice_id = ${invoice.id}`)[0]!.n).toBe(0);

  const made = await post(`${link}/promise`, { invoice: String(invoice.id), amount: '500', promisedOn: addDays(today, 10) });
  expect(made.status).toBe(303);
  const after = await get(made.location!);
  expect(after.body).toContain('Merci : votre promesse de paiement est enregistrée');
  expect(after.body).toContain('data-testid="promised"');
  // Replaying the same post records nothing more.
  expect((await post(`${link}/promise`, { invoice: String(invoice.id), amount: '500', promisedOn: addDays(today, 10) })).status).toBe(422);
  expect(await db.sql`select amount_cents, recorded_by from payment_promises where invoice_id = ${invoice.id}`).toEqual([{ amount_cents: 50_000, recorded_by: 'customer' }]);

  const admin = await signIn(app, db.sql);
  const page = await (await app.request('/invoices/F-P-PROMISE', { headers: { cookie: `${admin.cookie}; relance_lang=fr` } })).text();
  expect(page).toMatch(/Promesse de payer 500,00\s€ au plus tard le [^<]+ ; les relances attendent jusque-là<\/td><td class="muted">le client</);
});

it("records a customer's dispute: dunning holds, the dashboard lists it to handle, and another customer's invoice cannot be touched", async () => {
  const customer = await makeCustomer(db.sql, { name: 'Contestataire SARL' });
  const stranger = await makeCustomer(db.sql);
  const invoice = await makeInvoice(db.sql, customer, { number: 'F-P-DISPUTE', dueDate: overdue });
  const notMine = await post(`${portalOf(stranger)}/dispute`, { invoice: String(invoice.id), reason: 'wrong_amount', message: 'pas à moi' });
  expect(notMine.status).toBe(422);
  expect(notMine.body).not.toContain('F-P-DISPUTE');
  const badReason = await post(`${portalOf(customer)}/dispute`, { invoice: String(invoice.id), reason: 'because', message: '' });
  expect(badReason.status).toBe(422);
  expect((await db.sql`select count(*)::int as n from disputes where invoice_id = ${invoice.id}`)[0]!.n).toBe(0);

  const sent = await post(`${portalOf(customer)}/dispute`, { invoice: String(invoice.id), reason: 'wrong_amount', message: 'La remise de 10 % manque.' });
  expect(sent.status).toBe(303);
  expect((await get(sent.location!)).body).toContain('Votre contestation est enregistrée');
  expect(await db.sql`select reason, owner, opened_by from disputes where invoice_id = ${invoice.id}`).toEqual([{ reason: 'Montant erroné — La remise de 10 % manque.', owner: '', opened_by: 'customer' }]);
  expect(await timelineTexts(db.sql, 'dispute_opened', invoice.id, 'fr')).toEqual(['Litige : Montant erroné — La remise de 10 % manque. (à attribuer) ; les relances attendent']);
  const admin = await signIn(app, db.sql);
  const dashboard = await (await app.request('/', { headers: { cookie: `${admin.cookie}; relance_lang=fr` } })).text();
  expect(dashboard).toContain('data-testid="to-handle"');
  expect(dashboard).toMatch(/F-P-DISPUTE<\/a><\/td><td>Contestataire SARL<\/td><td>Montant erroné — La remise de 10 % manque\.<\/td>/);
  // Finance takes it on from the invoice page: it leaves the dashboard's list, the timeline says who handles it.
  const taken = await app.request('/invoices/F-P-DISPUTE/take-dispute', {
    method: 'POST',
    headers: { cookie: `${admin.cookie}; relance_lang=fr`, origin: ORIGIN, 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ _csrf: admin.csrf, owner: 'Fanny' }).toString(),
  });
  expect(taken.status).toBe(303);
  expect(await timelineTexts(db.sql, 'dispute_assigned', invoice.id, 'fr')).toEqual(['Litige suivi désormais par Fanny']);
  expect(await (await app.request('/', { headers: { cookie: `${admin.cookie}; relance_lang=fr` } })).text()).not.toContain('F-P-DISPUTE');
});

it("limits what one customer's link can do in an hour", async () => {
  const customer = await makeCustomer(db.sql);
  const invoices = await Promise.all(Array.from({ length: 11 }, (_, i) => makeInvoice(db.sql, customer, { number: `F-P-FLOOD-${i}`, dueDate: overdue })));
  for (const invoice of invoices.slice(0, 10)) expect((await post(`${portalOf(customer)}/dispute`, { invoice: String(invoice.id), reason: 'other', message: '' })).status).toBe(303);
  const eleventh = await post(`${portalOf(customer)}/dispute`, { invoice: String(invoices[10]!.id), reason: 'other', message: '' });
  expect(eleventh.status).toBe(429);
  expect(eleventh.body).toContain('Trop de demandes');
  expect((await db.sql`select count(*)::int as n from disputes where invoice_id = ${invoices[10]!.id}`)[0]!.n).toBe(0);
});
