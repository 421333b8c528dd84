import { Client } from '@temporalio/client';
import { parse } from 'csv-parse/sync';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { addDays } from '../../workflows/schedule/calendar-date.js';
import { localDate } from '../../workflows/schedule/zoned-time.js';
import { testApp } from '../helpers/stack.js';
import { signIn } from '../helpers/admin-session.js';
import { freshDatabase } from '../helpers/database.js';
import { makeCustomer, makeInvoice } from '../helpers/fixtures.js';

let db: Awaited<ReturnType<typeof freshDatabase>>;
let app: ReturnType<typeof testApp>;
let cookie: string;
const today = localDate(Date.now(), 'Europe/Paris');

beforeAll(async () => {
  db = await freshDatabase();
  app = testApp(db.sql, new Client(), 't');
  ({ cookie } = await signIn(app, db.sql));
  const dupont = await makeCustomer(db.sql, { name: 'Atelier Dupont' });
  const martin = await makeCustomer(db.sql, { name: 'Boulangerie Martin' });
  await makeInvoice(db.sql, dupont, { number: 'F-OVERDUE', dueDate: addDays(today, -10) });
  await makeInvoice(db.sql, dupont, { number: 'F-SOON', dueDate: addDays(today, 3) });
  await makeInvoice(db.sql, martin, { number: 'F-LATER', dueDate: addDays(today, 40) });
  await makeInvoice(db.sql, martin, { number: 'F-OLD', dueDate: addDays(today, -200) });
});
afterAll(() => db?.drop());

const page = async (query: string, headers: Record<string, string> = {}) => {
  const res = await app.request(`/invoices?${query}`, { headers: { cookie, ...headers } });
  return { status: res.status, body: await res.text() };
};
const rowsOf = (body: string) =>
  [...body.matchAll(/<tr class="row-(\w+)" data-invoice="([^"]+)">\s*<td><input[^>]*?( checked)?>/g)].map((m) => ({ number: m[2], colour: m[1], checked: !!m[3] }));

it('colours rows blue, orange and red, pre-checks those whose next step is due today, and names the next action', async () => {
  const { status, body } = await page('sort=due');
  expect(status).toBe(200);
  expect(rowsOf(body)).toEqual([
    { number: 'F-OLD', colour: 'red', checked: true },
    { number: 'F-OVERDUE', colour: 'red', checked: true },
    { number: 'F-SOON', colour: 'orange', checked: false },
    { number: 'F-LATER', colour: 'blue', checked: false },
  ]);
  expect(body).toContain('Relance 1 · ');
});

it('filters by a due-date window with either bound optional, by customer and by text', async () => {
  const window = `dueFrom=${addDays(today, -30)}&dueTo=${addDays(today, 5)}`;
  expect(rowsOf((await page(window)).body).map((r) => r.number)).toEqual(['F-OVERDUE', 'F-SOON']);
  expect(rowsOf((await page(`dueTo=${today}`)).body).map((r) => r.number)).toEqual(['F-OLD', 'F-OVERDUE']);
  expect(rowsOf((await page('customer=martin')).body).map((r) => r.number)).toEqual(['F-OLD', 'F-LATER']);
  expect(rowsOf((await page('q=soon')).body).map((r) => r.number)).toEqual(['F-SOON']);
  expect(rowsOf((await page('check=all')).body).every((r) => r.checked)).toBe(true);
});

it('answers an htmx request with the results only, and sorts both ways', async () => {
  const { body } = await page('sort=number&dir=desc', { 'hx-request': 'true', 'hx-target': 'results' });
  expect(body).not.toContain('<html');
  expect(rowsOf(body).map((r) => r.number)).toEqual(['F-SOON', 'F-OVERDUE', 'F-OLD', 'F-LATER']);
});

it('names a bad filter, and treats SQL-looking input as plain text', async () => {
  const bad = await page('dueFrom=2026-13-45');
  expect(bad.body).toMatch(/Filtre invalide: dueFrom/);
  const sqlish = await page(`q=${encodeURIComponent("'; drop table invoices; --")}&customer=${encodeURIComponent("x' or '1'='1")}`);
  expect(sqlish.status).toBe(200);
  expect(sqlish.body).toContain('Aucune facture ne correspond');
  const [{ n }] = await db.sql<[{ n: number }]>`select count(*)::int as n from invoices`;
  expect(n).toBe(4);
});

it('refuses an anonymous visitor', async () => {
  expect((await app.request('/invoices')).status).toBe(302);
});

it('exports the selection as CSV where a name a spreadsheet would run as a formula stays text', async () => {
  const hostile = await makeCustomer(db.sql, { ref: 'C-FORMULA', name: "=cmd|' /C calc'!A0" });
  const at = await makeCustomer(db.sql, { ref: 'C-AT', name: '@SUM(1+1)*cmd' });
  await makeInvoice(db.sql, hostile, { number: 'F-CSV-1', dueDate: addDays(today, -5), totalCents: 12_345 });
  await makeInvoice(db.sql, at, { number: 'F-CSV-2', dueDate: addDays(today, -4) });
  expect((await page('status=open')).body).toContain('href="/invoices.csv?');
  const res = await app.request('/invoices.csv?status=open&sort=number&q=F-CSV&style=standard', { headers: { cookie } });
  expect(res.headers.get('content-type')).toContain('text/csv');
  const bytes = new Uint8Array(await res.arrayBuffer());
  // A byte order mark, so that spreadsheets read the accents right.
  expect([...bytes.slice(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
  const rows = parse(Buffer.from(bytes.slice(3)).toString('utf8'), { columns: true }) as Record<string, string>[];
  expect(rows.map((r) => r.invoice)).toEqual(['F-CSV-1', 'F-CSV-2']);
  expect(rows[0]).toMatchObject({ customer: "'=cmd|' /C calc'!A0", total: '123.45', balance: '123.45', status: 'open' });
  expect(rows[1]!.customer).toBe("'@SUM(1+1)*cmd");
  // For a French spreadsheet (the default of a French reader): semicolons, decimal commas, French dates, headers and words.
  const french = await (await app.request('/invoices.csv?status=open&sort=number&q=F-CSV', { headers: { cookie } })).text();
  const [header, first] = french.replace(/^\ufeff/, '').split('\n');
  expect(header).toBe('Facture;Réf. client;Client;Échéance;Devise;Montant;Réglé;Reste dû;Statut;Dernier niveau;Dernière relance;En litige;Paiement promis le');
  const [y, m, d] = addDays(today, -5).split('-');
  expect(first).toBe(`F-CSV-1;C-FORMULA;'=cmd|' /C calc'!A0;${d}/${m}/${y};EUR;123,45;0,00;123,45;Ouverte;0;;;`);
  expect((await app.request('/invoices.csv?dueFrom=yesterday', { headers: { cookie } })).status).toBe(422);
});

it('selects every invoice the filter matches, not only the page, and a run on them counts them before it sends early', async () => {
  const bulk = await makeCustomer(db.sql, { name: 'Grossiste Bulk' });
  for (let i = 0; i < 60; i++) await makeInvoice(db.sql, bulk, { number: `F-BULK-${String(i).padStart(2, '0')}`, dueDate: addDays(today, 20) });
  const { body } = await page('customer=Grossiste');
  expect(rowsOf(body)).toHaveLength(50);
  expect(body).toContain('toutes les 60 factures du filtre, pas seulement cette page');
  const filter = /name="filter" value="([^"]+)"/.exec(body)![1]!.replaceAll('&amp;', '&');
  const csrf = /"X-CSRF-Token":"([^"]+)"/.exec(body.replaceAll('&quot;', '"'))![1]!;
  const res = await app.request('/runs', {
    method: 'POST', headers: { cookie, origin: 'http://localhost:3000', 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ _csrf: csrf, allMatching: '1', filter, level: 'next', channel: 'step' }).toString(),
  });
  expect(await res.text()).toContain('60 des 60 factures cochées ne sont pas encore à relancer');
});
