import { afterAll, beforeAll, expect, it } from 'vitest';
import { formatMoney } from '../../services/format.js';
import { chargesPolicyOf, referenceRates } from '../../db/queries/late-charges.js';
import { addDays } from '../../workflows/schedule/calendar-date.js';
import { lateCharges } from '../../workflows/schedule/late-charges.js';
import { localDate } from '../../workflows/schedule/zoned-time.js';
import { adminBrowser, signIn } from '../helpers/admin-session.js';
import { makeCustomer, makeInvoice } from '../helpers/fixtures.js';
import { pdfPages } from '../helpers/pdf-text.js';
import { startStack, type Stack } from '../helpers/stack.js';
import { recordHistory } from '../helpers/histories.js';
import { lateChargeNoteWorkflowId } from '../../workflows/ids.js';

let stack: Stack;
let db: Stack['db'];
let app: Stack['app'];
let admin: { cookie: string; csrf: string };
let policyId: number;
const today = localDate(Date.now(), 'Europe/Paris');

beforeAll(async () => {
  stack = await startStack('charges');
  ({ db, app } = stack);
  admin = await signIn(app, db.sql, 'admin');
  policyId = (await db.sql<{ id: number }[]>`select id from policies where is_default`)[0]!.id;
});
afterAll(() => stack?.stop());

const post = (path: string, fields: Record<string, string>) => adminBrowser(app, admin).post(path, fields);
const get = (path: string) => adminBrowser(app, admin).get(path);

it("sets a policy's late charges and the reference rates, naming bad fields and changing nothing then", async () => {
  const bad = await post(`/settings/policies/${policyId}/charges`, { interestRule: 'usury', interestRate: '250', indemnity: 'on', noticeDays: '0' });
  expect(bad).toContain('Late-payment interest: none, fixed or reference');
  expect(bad).toContain('Yearly rate or points added (%): a yearly rate between 0 and 100');
  expect(bad).toContain('Days to pay after a formal notice: from 1 to 60 days');
  expect(await chargesPolicyOf(db.sql, policyId)).toEqual({ rule: { kind: 'none' }, indemnity: false, noticeDays: 8 });
  expect(await post(`/settings/policies/${policyId}/charges`, { interestRule: 'fixed', interestRate: '10,00', indemnity: 'on', noticeDays: '10' })).toContain('Done.');
  expect(await chargesPolicyOf(db.sql, policyId)).toEqual({ rule: { kind: 'fixed', rateBp: 1000 }, indemnity: true, noticeDays: 10 });

  const before = await referenceRates(db.sql);
  expect(await post('/settings/reference-rates', { validFrom: '2026-03-01', rate: 'abc' })).toMatch(/From: the first day of a half-year.*Rate: a rate in percent/);
  expect(await referenceRates(db.sql)).toEqual(before);
  await post('/settings/reference-rates', { validFrom: '2026-01-01', rate: '2,15' });
  expect((await referenceRates(db.sql))[0]).toEqual({ validFrom: '2026-01-01', rateBp: 215 });
});

it('shows what a late invoice has accrued and issues a separate late-charge note, once a day, leaving the invoice as it was', async () => {
  const customer = await makeCustomer(db.sql, { ref: 'C-LATE', language: 'fr' });
  const invoice = await makeInvoice(db.sql, customer, { number: 'F-LATE-1', dueDate: addDays(today, -40), totalCents: 100_000 });
  const expected = lateCharges({ dueDate: addDays(today, -40), totalCents: 100_000, payments: [], asOf: today, rule: { kind: 'fixed', rateBp: 1000 }, referenceRates: [], indemnity: true });
  expect(expected.interestCents).toBeGreaterThan(1_000);
  const money = (cents: number) => formatMoney(cents, 'EUR', 'en');

  const page = await get('/invoices/F-LATE-1');
  expect(page).toContain(money(expected.interestCents));
  expect(page).toContain(money(4_000));
  expect(page).toContain(money(expected.interestCents + 4_000));

  await post('/invoices/F-LATE-1/late-charges', {});
  await post('/invoices/F-LATE-1/late-charges', {});
  const notes = await db.sql<{ id: number; interest_cents: number; indemnity_cents: number }[]>`select id, interest_cents, indemnity_cents from late_charge_notes where invoice_id = ${invoice.id}`;
  expect(notes).toEqual([{ id: expect.any(Number), interest_cents: expected.interestCents, indemnity_cents: 4_000 }]);
  const [{ asOf }] = await db.sql<[{ asOf: string }]>`select as_of as "asOf" from late_charge_notes where id = ${notes[0]!.id}`;
  await recordHistory(stack.client.workflow.getHandle(lateChargeNoteWorkflowId(invoice.id, asOf)), 'late-charge-note');
  expect((await db.sql`select total_cents, paid_cents from invoices where id = ${invoice.id}`)[0]).toEqual({ total_cents: 100_000, paid_cents: 0 });

  const pdf = new Uint8Array(await (await app.request(`/late-charge-notes/${notes[0]!.id}`, { headers: { cookie: admin.cookie } })).arrayBuffer());
  const [text] = await pdfPages(pdf);
  expect(text).toContain('Note de frais de recouvrement');
  expect(text).toContain('F-LATE-1');
  expect(text).toContain('L441-10');
  const spaced = (x: string) => x.replace(/\s/g, ' ');
  expect(spaced(text!)).toContain(spaced(formatMoney(expected.interestCents + 4_000, 'EUR', 'fr')));
  expect(await get('/invoices/F-LATE-1')).toContain('Late-charge note issued as of');

  // A consumer owes no indemnity; an invoice not yet due has nothing to charge.
  await post('/customers/C-LATE/policy', { policy: '', isBusiness: '' });
  const accrued = /data-testid="late-charges">(.*?)<\/table>/s.exec(await get('/invoices/F-LATE-1'))![1]!;
  expect(accrued).toContain(money(expected.interestCents));
  expect(accrued).toMatch(/recovery indemnity \(business customers\)<\/th><td class="num">€0\.00/);
  await makeInvoice(db.sql, customer, { number: 'F-LATE-FUTURE', dueDate: addDays(today, 10), totalCents: 100_000 });
  expect(await post('/invoices/F-LATE-FUTURE/late-charges', {})).toContain('Refused: nothing has accrued yet');
});
