import { timelineTexts } from '../helpers/database.js';
import Stripe from 'stripe';
import { afterAll, beforeAll, expect, it, vi } from 'vitest';
import { saveMandate } from '../../db/queries/mandates.js';
import { saveSepaCreditor } from '../../db/queries/settings.js';
import { getStripeKeys, payLinkSecret, saveStripeKeys, stripeLinkOf } from '../../db/queries/stripe.js';
import { payLink } from '../../services/pay-link.js';
import { dunningWorkflowId, startOrWakeDunning } from '../../services/temporal/dunning-client.js';
import { stateQuery } from '../../workflows/messages.js';
import { addBusinessDays } from '../../workflows/schedule/business-days.js';
import { addDays } from '../../workflows/schedule/calendar-date.js';
import { localDate } from '../../workflows/schedule/zoned-time.js';
import { adminBrowser, ORIGIN, signIn } from '../helpers/admin-session.js';
import { LATE_FOR, makeCustomer, makeInvoice } from '../helpers/fixtures.js';
import { sepaFileOfZip } from '../helpers/sepa-xml.js';
import { startStack, type Stack } from '../helpers/stack.js';

let stack: Stack;
let db: Stack['db'];
let app: Stack['app'];
let admin: { cookie: string; csrf: string };
const WEBHOOK_SECRET = 'whsec_relanceTestSecret0123456789';
const today = localDate(Date.now(), 'Europe/Paris');

beforeAll(async () => {
  stack = await startStack('stripe');
  ({ db, app } = stack);
  admin = await signIn(app, db.sql, 'admin');
  await saveSepaCreditor(db.sql, { name: 'Ma Société SAS', creditorId: 'FR72ZZZ123456', iban: 'FR7630006000011234567890189', bic: null, leadDays: 2 });
});
afterAll(() => stack?.stop());

const post = (path: string, fields: Record<string, string> = {}) => adminBrowser(app, admin).post(path, fields);

async function mandatedCustomer(ref: string, iban: string, emails = [`compta@${ref.toLowerCase()}.example`]) {
  const id = await makeCustomer(db.sql, { ref, name: `Client ${ref}`, emails });
  await saveMandate(db.sql, { customerId: id, iban, bic: null, holder: `Client ${ref}`, bankName: '', reference: `RUM-${ref}`, signedOn: '2025-01-15', signedPlace: 'Paris', sequence: 'FRST' });
  return id;
}

/** A webhook delivery as Stripe sends it, signed with the SDK's test-header helper. */
async function deliver(event: { id: string; type: string; created?: number; data: { object: Record<string, unknown> } }, secret = WEBHOOK_SECRET) {
  const payload = JSON.stringify({ object: 'event', api_version: Stripe.API_VERSION, created: Math.floor(Date.now() / 1000), ...event });
  const signature = Stripe.webhooks.generateTestHeaderString({ payload, secret });
  const res = await app.request('/webhooks/stripe', { method: 'POST', headers: { 'stripe-signature': signature, 'content-type': 'application/json' }, body: payload });
  return { status: res.status, body: await res.json() };
}

it('checks the Stripe keys before saving them, never shows them back, and tests the connection', async () => {
  const bad = await post('/settings/stripe', { secretKey: 'pk_test_123', publishableKey: 'sk_test_x', webhookSecret: 'secret' });
  expect(bad).toContain('Secret key: a secret key such as sk_live_');
  expect(bad).toContain('Publishable key: a publishable key');
  expect(bad).toContain('Webhook signing secret: the whsec_');
  expect(await getStripeKeys(db.sql)).toEqual({ secretKey: null, publishableKey: null, webhookSecret: null });

  expect(await post('/settings/stripe', { secretKey: 'sk_test_51RelanceKey', publishableKey: 'pk_live_51RelanceKey', webhookSecret: '' })).toContain(
    'Publishable key: not the same mode (test or live) as the secret key',
  );
  const saved = await post('/settings/stripe', { secretKey: 'sk_test_51RelanceKey', publishableKey: 'pk_test_51RelanceKey', webhookSecret: WEBHOOK_SECRET });
  expect(saved).toContain('Done.');
  expect(saved).not.toContain('sk_test_51RelanceKey');
  expect(saved).toContain('sk_test_…eKey');
  expect(await post('/settings/stripe/test')).toMatch(/Connected to account acct_\w+ \(test mode\)/);

  // A blank field keeps the saved value; a key Stripe refuses is reported in Stripe's words.
  await post('/settings/stripe', { secretKey: 'sk_live_51RevokedKey', publishableKey: 'pk_live_51RevokedKey', webhookSecret: '' });
  expect(await getStripeKeys(db.sql)).toMatchObject({ secretKey: 'sk_live_51RevokedKey', webhookSecret: WEBHOOK_SECRET });
  expect(await post('/settings/stripe/test')).toContain('Stripe refused the secret key');
  await post('/settings/stripe', { secretKey: 'sk_test_51RelanceKey', publishableKey: 'pk_test_51RelanceKey', webhookSecret: '' });
});

it("registers a customer's IBAN and mandate with Stripe and shows the Stripe ids; a new IBAN ends it", async () => {
  const noEmail = await mandatedCustomer('C-NOMAIL', 'FR7630006000011234567890189', []);
  expect(await post('/customers/C-NOMAIL/stripe')).toContain('E-mail: the customer needs an e-mail address for Stripe');
  expect(await stripeLinkOf(db.sql, noEmail)).toBeUndefined();

  const id = await mandatedCustomer('C-STRIPE', 'DE89370400440532013000');
  const page = await post('/customers/C-STRIPE/stripe');
  const link = (await stripeLinkOf(db.sql, id))!;
  expect(link).toMatchObject({ stripeCustomerId: expect.stringMatching(/^cus_/), paymentMethodId: expect.stringMatching(/^pm_/), setupIntentId: expect.stringMatching(/^seti_/), iban: 'DE89370400440532013000' });
  expect(page).toContain(link.stripeCustomerId);
  expect(page).toContain(link.paymentMethodId);

  // Stripe names the mandate when the setup intent succeeds.
  await deliver({ id: 'evt_setup_1', type: 'setup_intent.succeeded', data: { object: { id: link.setupIntentId, object: 'setup_intent', mandate: 'mandate_1Relance' } } });
  expect((await stripeLinkOf(db.sql, id))!.mandateId).toBe('mandate_1Relance');

  const other = await mandatedCustomer('C-MOVED', 'FR7630006000011234567890189');
  await post('/customers/C-MOVED/stripe');
  expect(await stripeLinkOf(db.sql, other)).toBeDefined();
  await saveMandate(db.sql, { customerId: other, iban: 'DE89370400440532013000', bic: null, holder: 'Client C-MOVED', bankName: '', reference: 'RUM-C-MOVED', signedOn: '2025-01-15', signedPlace: '', sequence: 'FRST' });
  expect(await stripeLinkOf(db.sql, other)).toBeUndefined();
});

it('collects Stripe customers off-session in a SEPA run, the others in the file, and settles them through signed webhooks once', async () => {
  const stripeCustomer = (await db.sql<{ id: number }[]>`select id from customers where ref = 'C-STRIPE'`)[0]!.id;
  const paid = await makeInvoice(db.sql, stripeCustomer, { number: 'F-STRIPE-1', dueDate: addDays(today, -5), totalCents: 30_000 });
  const failed = await makeInvoice(db.sql, stripeCustomer, { number: 'F-STRIPE-2', dueDate: addDays(today, -4), totalCents: 7_500 });
  const bank = await makeInvoice(db.sql, await mandatedCustomer('C-BANK', 'FR7630006000011234567890189'), { number: 'F-BANK-1', dueDate: addDays(today, -4), totalCents: 12_000 });
  for (const inv of [paid, failed, bank]) await startOrWakeDunning(stack.client, 'stripe', { ...inv, customerRef: 'C-x' });

  const collectionDate = addBusinessDays(today, 2, 'FR');
  const preview = await (await app.request(`/sepa/preview?collectionDate=${collectionDate}&format=pain.008.001.02`, { headers: { cookie: `${admin.cookie}; relance_lang=en` } })).text();
  expect(preview).toMatch(/F-STRIPE-1<\/td>.*?<td>Stripe<\/td>/s);
  expect(preview).toMatch(/F-BANK-1<\/td>.*?<td>bank file<\/td>/s);

  const form = new URLSearchParams({ _csrf: admin.csrf, collectionDate, format: 'pain.008.001.02' });
  for (const inv of [paid, failed, bank]) form.append('invoice', String(inv.id));
  const started = await app.request('/sepa', { method: 'POST', headers: { cookie: admin.cookie, origin: ORIGIN, 'content-type': 'application/x-www-form-urlencoded' }, body: form.toString() });
  const runPath = started.headers.get('location')!;
  const intents = await vi.waitFor(async () => {
    const rows = await db.sql<{ number: string; paymentIntentId: string | null; channel: string }[]>`
      select i.number, s.payment_intent_id as "paymentIntentId", s.channel from sepa_run_items s join invoices i on i.id = s.invoice_id order by i.number`;
    expect(rows.filter((r) => r.paymentIntentId).length).toBe(2);
    return rows;
  }, { timeout: 20_000 });
  expect(intents.map((r) => [r.number, r.channel])).toEqual([['F-BANK-1', 'file'], ['F-STRIPE-1', 'stripe'], ['F-STRIPE-2', 'stripe']]);
  const intentOf = (n: string) => intents.find((r) => r.number === n)!.paymentIntentId!;

  // The bank's file holds only the bank's debit, and validates.
  const { xml, verdict } = sepaFileOfZip(new Uint8Array(await (await app.request(`${runPath}/file.zip`, { headers: { cookie: admin.cookie } })).arrayBuffer()), 'pain.008.001.02');
  expect(verdict).toContain('validates');
  expect(xml).toContain('<NbOfTxs>1</NbOfTxs>');
  expect(xml).toContain('F-BANK-1');
  expect(xml).not.toContain('F-STRIPE');
  await vi.waitFor(async () => expect((await stack.client.workflow.getHandle(dunningWorkflowId(paid.id)).query(stateQuery)).hold).toBe('collection_pending'));

  // A forged delivery is refused and changes nothing.
  const forged = await deliver({ id: 'evt_forged', type: 'payment_intent.succeeded', data: { object: { id: intentOf('F-STRIPE-1'), object: 'payment_intent', amount: 30_000, amount_received: 30_000, currency: 'eur' } } }, 'whsec_notTheRightSecret00');
  expect(forged.status).toBe(400);
  expect((await db.sql`select paid_cents from invoices where number = 'F-STRIPE-1'`)[0]!.paid_cents).toBe(0);

  const succeeded = { id: 'evt_paid_1', type: 'payment_intent.succeeded', data: { object: { id: intentOf('F-STRIPE-1'), object: 'payment_intent', amount: 30_000, amount_received: 30_000, currency: 'eur' } } };
  expect(await deliver(succeeded)).toEqual({ status: 200, body: { ok: true, duplicate: false } });
  expect(await deliver(succeeded)).toEqual({ status: 200, body: { ok: true, duplicate: true } });
  expect(await db.sql`select amount_cents, method, source from payments p join invoices i on i.id = p.invoice_id where i.number = 'F-STRIPE-1'`).toEqual([
    { amount_cents: 30_000, method: 'sepa_debit', source: 'stripe_webhook' },
  ]);
  expect(await stack.client.workflow.getHandle(dunningWorkflowId(paid.id)).result()).toMatchObject({ status: 'paid' });

  await deliver({
    id: 'evt_failed_1', type: 'payment_intent.payment_failed',
    data: { object: { id: intentOf('F-STRIPE-2'), object: 'payment_intent', amount: 7_500, currency: 'eur', last_payment_error: { code: 'insufficient_funds', message: 'The account has insufficient funds.' } } },
  });
  await vi.waitFor(async () => expect((await stack.client.workflow.getHandle(dunningWorkflowId(failed.id)).query(stateQuery)).hold).toBeNull());
  const [{ id: failedId }] = await db.sql<[{ id: number }]>`select id from invoices where number = 'F-STRIPE-2'`;
  expect(await timelineTexts(db.sql, 'sepa_collection_rejected', failedId)).toEqual(['SEPA direct debit through Stripe rejected: The account has insufficient funds.']);
  const runPage = await (await app.request(runPath, { headers: { cookie: `${admin.cookie}; relance_lang=en` } })).text();
  expect(runPage).toContain(intentOf('F-STRIPE-2'));
  expect(runPage).toContain('Rejected · The account has insufficient funds.');
});

it('puts a pay link in every reminder once Stripe is configured; paying through its checkout ends the dunning once', async () => {
  const keys = await getStripeKeys(db.sql);
  const customer = await makeCustomer(db.sql, { ref: 'C-PAYLINK', emails: ['ap@paylink.example'] });
  const reminded = async (number: string) => {
    const invoice = await makeInvoice(db.sql, customer, { number, dueDate: addDays(today, -LATE_FOR[1]), totalCents: 25_000 });
    await startOrWakeDunning(stack.client, 'stripe', { ...invoice, customerRef: 'C-PAYLINK' });
    const html = await vi.waitFor(async () => {
      const [row] = await db.sql<{ html: string }[]>`select html from outbox where subject like ${`%${number}%`}`;
      expect(row).toBeDefined();
      return row!.html;
    }, { timeout: 20_000 });
    return { invoice, html };
  };
  await saveStripeKeys(db.sql, { ...keys, secretKey: null });
  expect((await reminded('F-NOLINK')).html).not.toContain('/pay/');
  await saveStripeKeys(db.sql, keys);
  const { invoice, html } = await reminded('F-PAYLINK');
  const link = new RegExp(`${ORIGIN}/pay/invoice/${invoice.id}/[\\w.-]+`).exec(html)?.[0];
  expect(link).toBeDefined();
  expect(html).toContain('Payer en ligne');

  const open = await app.request(link!.slice(ORIGIN.length));
  expect(open.status).toBe(303);
  expect(open.headers.get('location')).toMatch(/^https:\/\/checkout\.stripe\.com\//);
  expect((await app.request(`/pay/invoice/${invoice.id}/forged-token-forged-token-forged`)).status).toBe(404);
  expect((await app.request(link!.slice(ORIGIN.length).replace(`/invoice/${invoice.id}/`, `/invoice/${invoice.id + 1}/`))).status).toBe(404);
  // A link carries the day it was made, signed: moving that day is a forgery, and past the setting's
  // days (90 by default) the customer is told whom to contact instead of paying.
  const issued = /\/(\d{8})\./.exec(link!)![1]!;
  expect((await app.request(link!.slice(ORIGIN.length).replace(`/${issued}.`, `/${Number(issued) + 1}.`))).status).toBe(404);
  const secret = await payLinkSecret(db.sql);
  const old = (days: number) => payLink('', secret, 'invoice', invoice.id, addDays(today, -days));
  expect((await app.request(old(90))).status).toBe(303);
  const expired = await app.request(old(91));
  expect(expired.status).toBe(410);
  expect(await expired.text()).toMatch(/Ce lien de paiement a expiré\.[\s\S]*contactez/);
  await db.sql`update settings set pay_link_days = 120`;
  expect((await app.request(old(91))).status).toBe(303);
  await db.sql`update settings set pay_link_days = 90`;

  const completed = {
    id: 'evt_checkout_1', type: 'checkout.session.completed',
    data: { object: { id: 'cs_test_1', object: 'checkout.session', payment_status: 'paid', amount_total: 25_000, currency: 'eur', payment_intent: 'pi_checkout_1', metadata: { relance_invoice_id: String(invoice.id) } } },
  };
  expect((await deliver(completed)).body).toEqual({ ok: true, duplicate: false });
  expect((await deliver(completed)).body).toEqual({ ok: true, duplicate: true });
  expect(await db.sql`select amount_cents, method from payments where invoice_id = ${invoice.id}`).toEqual([{ amount_cents: 25_000, method: 'stripe' }]);
  expect(await stack.client.workflow.getHandle(dunningWorkflowId(invoice.id)).result()).toMatchObject({ status: 'paid' });
  expect(await (await app.request(link!.slice(ORIGIN.length))).text()).toContain('La facture F-PAYLINK est réglée');
});

it("pays several invoices from the customer's page in one checkout, each recorded with its own part", async () => {
  const customer = await makeCustomer(db.sql, { ref: 'C-SEVERAL', emails: ['ap@several.example'] });
  const stranger = await makeCustomer(db.sql, { ref: 'C-STRANGER' });
  const first = await makeInvoice(db.sql, customer, { number: 'F-SEV-1', dueDate: addDays(today, -20), totalCents: 30_000 });
  const second = await makeInvoice(db.sql, customer, { number: 'F-SEV-2', dueDate: addDays(today, -5), totalCents: 12_500 });
  const foreign = await makeInvoice(db.sql, stranger, { number: 'F-SEV-X', dueDate: addDays(today, -5), totalCents: 1_000 });
  const portal = new URL(payLink(ORIGIN, await payLinkSecret(db.sql), 'portal', customer, today)).pathname;
  const page = await (await app.request(portal)).text();
  expect(page).toContain('Payer en ligne les factures cochées');
  expect(page).toContain(`name="invoices" value="${first.id}" form="pay-selection"`);
  const pay = (ids: number[]) => {
    const body = new URLSearchParams(ids.map((id) => ['invoices', String(id)]));
    return app.request(`${portal}/pay`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: body.toString() });
  };
  const refused = await pay([first.id, foreign.id]);
  expect(refused.status).toBe(422);
  expect(await refused.text()).not.toContain('F-SEV-X');
  const checkout = await pay([first.id, second.id]);
  expect(checkout.status).toBe(303);
  expect(checkout.headers.get('location')).toMatch(/^https:\/\/checkout\.stripe\.com\//);

  const completed = {
    id: 'evt_checkout_several', type: 'checkout.session.completed',
    data: { object: { id: 'cs_test_several', object: 'checkout.session', payment_status: 'paid', amount_total: 42_500, currency: 'eur', payment_intent: 'pi_several', metadata: { relance_invoices: `${first.id}:30000,${second.id}:12500` } } },
  };
  expect((await deliver(completed)).body).toEqual({ ok: true, duplicate: false });
  expect(await db.sql`select invoice_id as "invoiceId", amount_cents as "amountCents", external_id as "externalId" from payments where external_id like 'pi_several%' order by invoice_id`).toEqual([
    { invoiceId: first.id, amountCents: 30_000, externalId: `pi_several:${first.id}` },
    { invoiceId: second.id, amountCents: 12_500, externalId: `pi_several:${second.id}` },
  ]);
  expect(await db.sql`select status from invoices where id in (${first.id}, ${second.id})`).toEqual([{ status: 'paid' }, { status: 'paid' }]);
});
