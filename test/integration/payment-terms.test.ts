import { Client } from '@temporalio/client';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { formatDate } from '../../services/format.js';
import { addDays, endOfMonth } from '../../workflows/schedule/calendar-date.js';
import { localDate } from '../../workflows/schedule/zoned-time.js';
import { adminBrowser, ORIGIN, signIn } from '../helpers/admin-session.js';
import { freshDatabase } from '../helpers/database.js';
import { makeCustomer } from '../helpers/fixtures.js';
import { API_TOKEN, testApp } from '../helpers/stack.js';

let db: Awaited<ReturnType<typeof freshDatabase>>;
let app: ReturnType<typeof testApp>;
let admin: { cookie: string; csrf: string };
const today = localDate(Date.now(), 'Europe/Paris');

beforeAll(async () => {
  db = await freshDatabase();
  // The invoices' workflows are not what this file checks: a client never connected will do.
  app = testApp(db.sql, new Client(), 'payment-terms');
  admin = await signIn(app, db.sql, 'admin');
});
afterAll(() => db?.drop());

const browser = () => adminBrowser(app, admin);
const french = async (path: string) => (await app.request(path, { headers: { cookie: `${admin.cookie}; relance_lang=fr` } })).text();
const putInvoice = (number: string, body: object) =>
  app.request(`/api/v1/invoices/${number}`, { method: 'PUT', headers: { authorization: `Bearer ${API_TOKEN}`, 'content-type': 'application/json' }, body: JSON.stringify(body) });
const termsCount = async () => (await db.sql`select count(*)::int as n from payment_terms`)[0]!.n;

it('lists the named terms of source 001, each worked on an example invoice issued today', async () => {
  const page = await french('/settings/payment-terms');
  for (const name of ['45 jours fin de mois', '30 % à la commande, solde à 30 jours fin de mois', 'Prélèvement en 12 échéances']) expect(page).toContain(`data-terms="${name}"`);
  const row = (name: string) => page.split('<tr data-terms=').find((r) => r.startsWith(`"${name}"`))!;
  expect(row('45 jours fin de mois')).toContain(formatDate(endOfMonth(addDays(today, 45)), 'fr'));
  // 30 % at order, the rest at the end of the month 30 days later.
  expect(row('30 % à la commande, solde à 30 jours fin de mois').replace(/\s/g, ' ')).toContain(`${formatDate(today, 'fr')}</td><td class="num">300,00 €`);
  expect((row('Prélèvement en 12 échéances').match(/<td class="num">/g) ?? []).length).toBeGreaterThanOrEqual(12);
});

it('adds terms only when their schedule makes 100 %, naming the field in French, and writes nothing otherwise', async () => {
  const before = await termsCount();
  const refused = await browser().post('/settings/payment-terms', { name: 'Moitié-moitié', shape: 'installments', dueRule: 'days', days: '30', percent1: '50', dueRule1: 'at_order', percent2: '40', dueRule2: 'days', days2: '30' });
  expect(refused).toContain('Refused: Installments: must total exactly 100 % of the invoice');
  const frenchRefusal = await app.request('/settings/payment-terms', {
    method: 'POST',
    headers: { cookie: `${admin.cookie}; relance_lang=fr`, origin: ORIGIN, 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ _csrf: admin.csrf, name: 'Moitié-moitié', shape: 'installments', dueRule: 'days', days: '30', percent1: 'cinquante', dueRule1: 'at_order' }).toString(),
  });
  expect(frenchRefusal.status).toBe(422);
  expect(await frenchRefusal.text()).toContain('Échéancier : ligne 1 : un pourcentage au-dessus de 0');
  expect(await termsCount()).toBe(before);

  const added = await browser().post('/settings/payment-terms', { name: 'Moitié-moitié', shape: 'installments', dueRule: 'days', days: '', percent1: '50', dueRule1: 'at_order', label1: 'Acompte', percent2: '50', dueRule2: 'days', days2: '30', label2: 'Solde' });
  expect(added).toContain('data-terms="Moitié-moitié"');
  expect(await termsCount()).toBe(before + 1);
  expect(await browser().post('/settings/payment-terms', { name: 'Moitié-moitié', shape: 'due', dueRule: 'days', days: '30' })).toContain('Refused: Name: already the name of other terms');
});

it("computes an invoice's due date or installments from the terms it names, or else from its customer's default", async () => {
  const customerId = await makeCustomer(db.sql, { ref: 'C-TERMS' });
  const issueDate = '2026-11-10';
  const invoice = { customerRef: 'C-TERMS', issueDate, currency: 'EUR', totalCents: 120_000 };

  const none = await putInvoice('F-T0', invoice);
  expect(none.status).toBe(422);
  expect(await none.json()).toMatchObject({ problems: [{ field: 'dueDate', message: expect.stringContaining('the customer has no default payment terms') }] });
  expect(await (await putInvoice('F-T0', { ...invoice, paymentTerms: 'Comptant' })).json()).toMatchObject({ problems: [{ field: 'paymentTerms', message: 'no payment terms "Comptant" in the settings' }] });
  expect(await (await putInvoice('F-T0', { ...invoice, dueDate: '2026-12-10', paymentTerms: '45 jours fin de mois' })).json()).toMatchObject({ problems: [{ field: 'dueDate' }] });

  expect((await putInvoice('F-T1', { ...invoice, paymentTerms: '30 % à la commande, solde à 30 jours fin de mois' })).status).toBe(201);
  expect(await db.sql`select i.due_date as "dueDate", (select json_agg(json_build_object('due', s.due_date, 'cents', s.amount_cents) order by s.seq) from installments s where s.invoice_id = i.id) as schedule
    from invoices i where number = 'F-T1'`).toEqual([{ dueDate: '2026-12-31', schedule: [{ due: '2026-11-10', cents: 36_000 }, { due: '2026-12-31', cents: 84_000 }] }]);
  const page = await french('/invoices/F-T1');
  expect(page).toContain('<div class="muted" data-testid="payment-terms">30 % à la commande, solde à 30 jours fin de mois</div>');
  expect(page).toContain('data-testid="installments"');

  // The customer's default, chosen on its page, applies to an invoice that brings no due date.
  const [{ id: termsId }] = await db.sql<[{ id: number }]>`select id from payment_terms where name = '45 jours fin de mois'`;
  await browser().post('/customers/C-TERMS/payment-terms', { paymentTerms: String(termsId) });
  expect((await db.sql`select payment_terms_id from customers where id = ${customerId}`)[0]!.payment_terms_id).toBe(termsId);
  expect((await putInvoice('F-T2', invoice)).status).toBe(201);
  // 10 November + 45 days is 25 December, end of that month: 31 December.
  expect((await db.sql`select due_date from invoices where number = 'F-T2'`)[0]!.due_date).toBe('2026-12-31');
  // A due date given still wins over the default.
  expect((await putInvoice('F-T3', { ...invoice, dueDate: '2026-12-10' })).status).toBe(201);
  expect((await db.sql`select due_date, payment_terms_id from invoices where number = 'F-T3'`)[0]).toEqual({ due_date: '2026-12-10', payment_terms_id: null });
});
