import { Client, Connection } from '@temporalio/client';
import { afterAll, beforeAll, expect, it, vi } from 'vitest';
import { ORIGIN, signIn } from '../helpers/admin-session.js';
import { freshDatabase } from '../helpers/database.js';
import { freePort } from '../helpers/ports.js';
import { API_TOKEN, testApp } from '../helpers/stack.js';

// The workflow engine unreachable (nothing listens on its address): the API and the admin answer
// at once and say so, and the invoice is saved for the repair pass to start its workflow.
let db: Awaited<ReturnType<typeof freshDatabase>>;
let app: ReturnType<typeof testApp>;

beforeAll(async () => {
  db = await freshDatabase();
  const unreachable = new Client({ connection: Connection.lazy({ address: `127.0.0.1:${await freePort()}` }) });
  app = testApp(db.sql, unreachable, 'outage');
});
afterAll(() => db?.drop());

const call = (method: string, path: string, body: unknown) =>
  app.request(`/api/v1${path}`, { method, headers: { 'content-type': 'application/json', authorization: `Bearer ${API_TOKEN}` }, body: JSON.stringify(body) });

it('saves an invoice written during an outage and says its dunning starts when the engine is back; the page says the state is unavailable', async () => {
  expect((await call('PUT', '/customers/C-OUT', { name: 'Client en panne', emails: ['ap@outage.example'] })).status).toBeLessThan(300);
  const res = await call('PUT', '/invoices/F-OUT', { customerRef: 'C-OUT', issueDate: '2026-01-10', currency: 'EUR', totalCents: 1000, dueDate: '2026-02-10' });
  expect(res.status).toBe(201);
  expect(await res.json()).toMatchObject({ number: 'F-OUT', dunning: 'pending', message: expect.stringContaining('repair pass') });
  expect(await db.sql`select number, status from invoices`).toEqual([{ number: 'F-OUT', status: 'open' }]);

  const session = await signIn(app, db.sql);
  const page = await app.request('/invoices/F-OUT', { headers: { cookie: session.cookie } });
  expect(page.status).toBe(200);
  expect(await page.text()).toContain('État du workflow indisponible');
});

/** The answer, and how long it took: during an outage no call may wait for the SDK's retries (about 25 s). */
async function timed<T>(call: () => T | Promise<T>): Promise<{ value: T; ms: number }> {
  const started = Date.now();
  const value = await call();
  return { value, ms: Date.now() - started };
}
const FAST_MS = 10_000;

it('answers every write of the API fast during an outage: a customer change, a payment, and a pause refused with 503', async () => {
  // F-OUT, C-OUT and the session come from the test above: the customer has an open invoice to wake.
  const customer = await timed(() => call('PUT', '/customers/C-OUT', { name: 'Client en panne SA', emails: ['ap@outage.example'] }));
  expect(customer.value.status).toBe(200);
  expect(customer.ms).toBeLessThan(FAST_MS);
  const payment = await timed(() => call('POST', '/payments', { invoiceNumber: 'F-OUT', amountCents: 100, currency: 'EUR', paidOn: '2026-02-11', method: 'transfer', externalId: 'out-1' }));
  expect(payment.value.status).toBe(201);
  expect(payment.ms).toBeLessThan(FAST_MS);
  const pause = await timed(() => call('POST', '/invoices/F-OUT/pause', { reason: 'litige' }));
  expect(pause.value.status).toBe(503);
  expect(await pause.value.json()).toMatchObject({ error: 'engine_unreachable', message: expect.stringContaining('nothing was changed') });
  expect(pause.ms).toBeLessThan(FAST_MS);
  expect(await db.sql`select paused from invoices where number = 'F-OUT'`).toEqual([{ paused: false }]);
});

it('keeps a bulk run started during an outage, and its page says the engine is unreachable instead of showing the run under way', async () => {
  const session = await signIn(app, db.sql);
  const [invoice] = await db.sql<{ id: number }[]>`select id from invoices where number = 'F-OUT'`;
  const started = await timed(() => app.request('/runs', {
    method: 'POST',
    headers: { cookie: session.cookie, origin: ORIGIN, 'content-type': 'application/x-www-form-urlencoded', 'x-csrf-token': session.csrf },
    body: new URLSearchParams({ _csrf: session.csrf, invoice: String(invoice!.id), level: '1', channel: 'email' }).toString(),
  }));
  expect(started.value.status).toBe(303);
  expect(started.ms).toBeLessThan(FAST_MS);
  const progress = await app.request(`${started.value.headers.get('location')}/progress`, { headers: { cookie: session.cookie } });
  expect(await progress.text()).toContain('Moteur de workflows injoignable');
});

it('counts the workflows of an import applied during an outage as waiting for the repair pass, not as started', async () => {
  const session = await signIn(app, db.sql);
  const headers = { cookie: session.cookie, origin: ORIGIN, 'x-csrf-token': session.csrf };
  const form = new FormData();
  form.set('_csrf', session.csrf);
  form.set('kind', 'invoices');
  form.set('file', new File(['number,customer_ref,issue_date,due_date,total\nF-OUT-2,C-OUT,2026-10-01,2026-10-31,100\nF-OUT-3,C-OUT,2026-10-01,2026-10-31,200\n'], 'invoices.csv', { type: 'text/csv' }));
  const location = (await app.request('/import', { method: 'POST', headers, body: form })).headers.get('location')!;
  const applied = await app.request(`${location}/apply`, {
    method: 'POST', headers: { ...headers, 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams({ _csrf: session.csrf }).toString(),
  });
  expect(applied.status).toBe(303);
  const id = Number(location.split('/').at(-1));
  await vi.waitFor(async () => expect(await db.sql`select workflows_done, workflows_pending from imports where id = ${id}`).toEqual([{ workflows_done: 2, workflows_pending: 2 }]), { timeout: 30_000, interval: 250 });
  const page = await (await app.request(location, { headers: { cookie: session.cookie } })).text();
  expect(page).toContain('Workflows démarrés ou réveillés : 0 / 2');
  expect(page).toContain('2 en attente : le moteur de workflows était injoignable');
});
