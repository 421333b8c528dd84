import { Client } from '@temporalio/client';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { mandateOf } from '../../db/queries/mandates.js';
import { getSepaCreditor } from '../../db/queries/settings.js';
import { createApp } from '../../web/app.js';
import { ORIGIN, signIn } from '../helpers/admin-session.js';
import { freshDatabase } from '../helpers/database.js';
import { makeCustomer } from '../helpers/fixtures.js';

let db: Awaited<ReturnType<typeof freshDatabase>>;
let app: ReturnType<typeof createApp>;
let admin: { cookie: string; csrf: string };
let customerId: number;

beforeAll(async () => {
  db = await freshDatabase();
  // Mandates and creditor settings never reach Temporal: a client that is never connected will do.
  app = createApp({ sql: db.sql, publicUrl: ORIGIN, temporal: new Client(), taskQueue: 'sepa', apiToken: 'x'.repeat(32), temporalUiUrl: 'http://ui', namespace: 'default' });
  admin = await signIn(app, db.sql, 'admin');
  customerId = await makeCustomer(db.sql, { ref: 'C-SEPA', name: 'Boulangerie Martin' });
  await makeCustomer(db.sql, { ref: 'C-OTHER' });
});
afterAll(() => db?.drop());

const post = async (path: string, fields: Record<string, string>) => {
  const res = await app.request(path, {
    method: 'POST',
    headers: { cookie: `${admin.cookie}; relance_lang=en`, origin: ORIGIN, 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ _csrf: admin.csrf, ...fields }).toString(),
  });
  return (await res.text()).replaceAll('&#39;', "'");
};
const mandate = { iban: 'fr76 3000 6000 0112 3456 7890 189', bic: 'agrifrpp', holder: 'Boulangerie Martin', bankName: 'Crédit Agricole', reference: 'RUM-2025-0001', signedOn: '2025-03-01', signedPlace: 'Lyon', sequence: 'FRST' };

it('refuses a bad bank account or mandate naming each field, and saves nothing', async () => {
  const body = await post('/customers/C-SEPA/mandate', { ...mandate, iban: 'FR76 3000 6000 0112 3456 7890 180', bic: 'NOTABIC', reference: 'RUM 2025/é', signedOn: '01/03/2025', sequence: 'XXXX' });
  expect(body).toContain('iban: not a valid IBAN');
  expect(body).toContain('bic: not a valid BIC');
  expect(body).toContain('reference: letters, digits');
  expect(body).toContain('signedOn: a date YYYY-MM-DD');
  expect(body).toContain('sequence: FRST, RCUR, OOFF or FNAL');
  expect(await mandateOf(db.sql, customerId)).toBeUndefined();
});

it('saves a valid mandate in electronic form, and keeps references unique across customers', async () => {
  expect(await post('/customers/C-SEPA/mandate', mandate)).toContain('Done.');
  expect(await mandateOf(db.sql, customerId)).toMatchObject({ iban: 'FR7630006000011234567890189', bic: 'AGRIFRPP', reference: 'RUM-2025-0001', sequence: 'FRST' });
  expect(await post('/customers/C-OTHER/mandate', mandate)).toContain("reference: this reference is already another customer's mandate");
});

it("checks the creditor's identifier, IBAN and BIC before saving them", async () => {
  const bad = await post('/settings/sepa', { name: 'Ma Société SAS', creditorId: 'FR73ZZZ123456', iban: 'FR7630006000011234567890189', bic: '', leadDays: '2' });
  expect(bad).toContain('creditorId: not a valid SEPA creditor identifier');
  expect((await getSepaCreditor(db.sql)).creditorId).toBe('');
  await post('/settings/sepa', { name: 'Ma Société SAS', creditorId: 'fr72 zzz 123456', iban: 'FR76 3000 6000 0112 3456 7890 189', bic: '', leadDays: '2' });
  expect(await getSepaCreditor(db.sql)).toEqual({ name: 'Ma Société SAS', creditorId: 'FR72ZZZ123456', iban: 'FR7630006000011234567890189', bic: null, leadDays: 2 });
});
