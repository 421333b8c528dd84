import { Client } from '@temporalio/client';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { signIn } from '../helpers/admin-session.js';
import { freshDatabase } from '../helpers/database.js';
import { makeCustomer, makeInvoice } from '../helpers/fixtures.js';
import { testApp } from '../helpers/stack.js';

// The overall reminder log (source 003): every reminder across invoices and customers.
let db: Awaited<ReturnType<typeof freshDatabase>>;
let app: ReturnType<typeof testApp>;
let cookie: string;

beforeAll(async () => {
  db = await freshDatabase();
  app = testApp(db.sql, new Client(), 'log');
  ({ cookie } = await signIn(app, db.sql));
  const dupont = await makeCustomer(db.sql, { ref: 'C-LOG-1', name: 'Dupont SARL' });
  const martin = await makeCustomer(db.sql, { ref: 'C-LOG-2', name: '=Martin & Fils' });
  const invoices = [
    await makeInvoice(db.sql, dupont, { number: 'F-LOG-1', dueDate: '2026-09-01' }),
    await makeInvoice(db.sql, dupont, { number: '2026/LOG-2', dueDate: '2026-09-15' }),
    await makeInvoice(db.sql, martin, { number: 'F-LOG-3', dueDate: '2026-10-01' }),
  ];
  const reminder = (invoice: number, level: number, channel: string, by: string, at: string, note: string | null, next: string | null) => db.sql`
    insert into reminders (invoice_id, level, step_name, channel, status, performed_by, sent_at, note, next_planned_on, idempotency_key)
    values (${invoice}, ${level}, ${`Relance ${level}`}, ${channel}, 'sent', ${by}, ${at}, ${note}, ${next}, ${`log-${invoice}-${level}`})`;
  await reminder(invoices[0]!.id, 1, 'email', 'system', '2026-09-01T07:00:00Z', null, null);
  await reminder(invoices[0]!.id, 2, 'manual', 'fanny@relance.test', '2026-09-16T13:00:00Z', 'Appel à la comptable', '2026-10-01');
  await reminder(invoices[1]!.id, 1, 'letter', 'system', '2026-09-15T07:00:00Z', null, null);
  await reminder(invoices[2]!.id, 1, 'email', 'fanny@relance.test', '2026-10-01T22:30:00Z', '=HYPERLINK("x")', null);
});
afterAll(() => db?.drop());

const page = async (query = '') => (await app.request(`/reminders${query}`, { headers: { cookie } })).text();
const invoicesShown = (body: string) => [...body.matchAll(/<td><a href="\/invoices\/([^"]+)">/g)].map((m) => decodeURIComponent(m[1]!));

it('lists every reminder across invoices and customers, newest first, with its user, note, next date and links', async () => {
  const body = await page();
  expect(invoicesShown(body)).toEqual(['F-LOG-3', 'F-LOG-1', '2026/LOG-2', 'F-LOG-1']);
  expect(body).toContain('Appel à la comptable');
  expect(body).toContain('href="/invoices/2026%2FLOG-2"');
  expect(body).toContain('Journal des relances');
});

it("links each e-mail's exact HTML, as the customer received it, and each letter's PDF", async () => {
  const [sent] = await db.sql<[{ id: number }]>`
    update reminders set html = '<p>Bonjour Dupont, la facture F-LOG-1 reste due.</p>', subject = 'Facture F-LOG-1'
    where level = 1 and channel = 'email' and invoice_id = (select id from invoices where number = 'F-LOG-1') returning id`;
  const body = await page();
  expect(body.match(/data-testid="email-html"/g)).toHaveLength(1);
  expect(body).toContain(`href="/outbox/${sent.id}/html"`);
  const email = await app.request(`/outbox/${sent.id}/html`, { headers: { cookie } });
  expect(await email.text()).toBe('<p>Bonjour Dupont, la facture F-LOG-1 reste due.</p>');
  expect(email.headers.get('content-security-policy')).toContain('sandbox');
});

it('filters by period (the company’s days), user, level and channel, and refuses a bad filter by name', async () => {
  // 22:30 UTC on 1 October is 2 October in Paris.
  expect(invoicesShown(await page('?from=2026-10-02&to=2026-10-02'))).toEqual(['F-LOG-3']);
  expect(invoicesShown(await page('?from=2026-09-01&to=2026-09-30'))).toEqual(['F-LOG-1', '2026/LOG-2', 'F-LOG-1']);
  expect(invoicesShown(await page('?user=fanny%40relance.test'))).toEqual(['F-LOG-3', 'F-LOG-1']);
  expect(invoicesShown(await page('?level=2'))).toEqual(['F-LOG-1']);
  expect(invoicesShown(await page('?channel=letter'))).toEqual(['2026/LOG-2']);
  const bad = await app.request('/reminders?from=2026-13-40&channel=fax', { headers: { cookie } });
  expect(bad.status).toBe(400);
  expect(await bad.text()).toMatch(/from: a date YYYY-MM-DD.*channel/);
});

it('exports the filtered log as CSV, with cells a spreadsheet would run written as text', async () => {
  const res = await app.request('/reminders.csv?user=fanny%40relance.test&style=standard', { headers: { cookie } });
  expect(res.headers.get('content-type')).toContain('text/csv');
  const lines = (await res.text()).replace(/^\ufeff/, '').trim().split('\n');
  expect(lines[0]).toBe('id,customer_ref,customer,invoice,note,level,step,channel,user,date,next_date,status,file');
  expect(lines).toHaveLength(3);
  expect(lines[1]).toContain(`'=Martin & Fils`);
  expect(lines[1]).toContain(`"'=HYPERLINK(""x"")"`);
  expect(lines[1]).toContain('2026-10-02');
  expect(lines[2]).toContain('Appel à la comptable,2,Relance 2,manual,fanny@relance.test,2026-09-16,2026-10-01,sent');
  // A French reader's export, for a French spreadsheet.
  const french = (await (await app.request('/reminders.csv?user=fanny%40relance.test', { headers: { cookie } })).text()).replace(/^\ufeff/, '').trim().split('\n');
  expect(french[0]).toBe('N°;Réf. client;Client;Facture;Note;Niveau;Étape;Canal;Par;Date;Prochaine relance;Statut;Fichier');
  expect(french[2]).toContain('Appel à la comptable;2;Relance 2;À la main;fanny@relance.test;16/09/2026;01/10/2026;Envoyée');
});
