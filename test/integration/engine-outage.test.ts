import { Client, Connection } from '@temporalio/client';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { signIn } from '../helpers/admin-session.js';
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
