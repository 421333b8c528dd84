import { Client } from '@temporalio/client';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { API_TOKEN, startStack, type Stack } from '../helpers/stack.js';

const TOKEN = API_TOKEN;
let stack: Stack;
let env: Stack['env'];
let db: Stack['db'];
let app: Stack['app'];

beforeAll(async () => {
  stack = await startStack('api', { timeSkippingClient: true });
  ({ env, db, app } = stack);
});
afterAll(() => stack?.stop());

function call(method: string, path: string, body?: unknown, token: string | null = TOKEN) {
  return app.request(`/api/v1${path}`, {
    method,
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
  });
}

async function count(table: 'customers' | 'invoices' | 'payments' | 'installments'): Promise<number> {
  const [row] = await db.sql.unsafe(`select count(*)::int as n from ${table}`);
  return row!.n as number;
}

describe('REST API against Postgres and Temporal', () => {
  it('refuses every call without the bearer token, but serves its OpenAPI document', async () => {
    expect((await call('PUT', '/customers/C-1', { name: 'x' }, null)).status).toBe(401);
    expect((await call('PUT', '/customers/C-1', { name: 'x' }, 'wrong-token-wrong-token-wrong')).status).toBe(401);
    const doc = await (await app.request('/api/v1/openapi.json')).json();
    expect(Object.keys(doc.paths)).toEqual(expect.arrayContaining(['/customers/{ref}', '/invoices/{number}', '/payments', '/invoices/{number}/dunning']));
  });

  it('names each invalid field and writes nothing', async () => {
    const before = await Promise.all([count('customers'), count('invoices')]);
    const badRef = await call('PUT', '/customers/bad%20ref', { name: 'ok' });
    expect(badRef.status).toBe(422);
    expect((await badRef.json()).problems.map((p: { field: string }) => p.field)).toEqual(['ref']);
    const res = await call('PUT', '/customers/C-1', { name: '', emails: ['not-an-email'], language: 'de', extra: 1 });
    expect(res.status).toBe(422);
    const fields = (await res.json()).problems.map((p: { field: string }) => p.field);
    expect(fields).toEqual(expect.arrayContaining(['name', 'emails[0]', 'language', '(body)']));
    const inv = await call('PUT', '/invoices/F-1', { customerRef: 'C-404', issueDate: '2026-01-10', currency: 'EUR', totalCents: 1000, dueDate: '2026-02-10' });
    expect(inv.status).toBe(422);
    expect((await inv.json()).problems).toEqual([{ field: 'customerRef', message: expect.stringContaining('no customer') }]);
    const malformed = await call('PUT', '/customers/C-2', '{"name": ');
    expect(malformed.status).toBe(400);
    expect(await Promise.all([count('customers'), count('invoices')])).toEqual(before);
  });

  it('creates a customer and an installment invoice, starts its workflow, and reads its state', async () => {
    expect((await call('PUT', '/customers/C-100', { name: 'Atelier <script>alert(1)</script>', emails: ['ap@atelier.example'], language: 'en' })).status).toBe(201);
    expect((await call('PUT', '/customers/C-100', { name: 'Atelier Martin', emails: ['ap@atelier.example'], language: 'en' })).status).toBe(200);
    const notHundred = await call('PUT', '/invoices/F-100', {
      customerRef: 'C-100', issueDate: '2026-01-10', currency: 'EUR', totalCents: 100_000,
      installments: [{ percent: 30, rule: { kind: 'at_order' } }, { percent: 60, rule: { kind: 'days_end_of_month', days: 30 } }],
    });
    expect(notHundred.status).toBe(422);
    expect(await count('invoices')).toBe(0);
    const created = await call('PUT', '/invoices/F-100', {
      customerRef: 'C-100', issueDate: '2099-01-10', currency: 'EUR', totalCents: 100_000,
      installments: [{ percent: 30, rule: { kind: 'at_order' } }, { percent: 70, rule: { kind: 'days_end_of_month', days: 30 } }],
    });
    expect(created.status).toBe(201);
    expect(await created.json()).toMatchObject({ number: 'F-100', created: true, workflowId: expect.stringMatching(/^invoice-\d+$/) });
    // The workflow plans its first step asynchronously; the API shows it as soon as it is known.
    const state = await vi.waitFor(async () => {
      const body = await (await call('GET', '/invoices/F-100/dunning')).json();
      if (!body.workflow?.state?.next) throw new Error('not planned yet');
      return body;
    });
    expect(state.installments.map((i: { dueDate: string; amountCents: number }) => [i.dueDate, i.amountCents])).toEqual([
      ['2099-01-10', 30_000], ['2099-02-28', 70_000],
    ]);
    expect(state.workflow).toMatchObject({ runStatus: 'RUNNING', temporalUiUrl: expect.stringContaining('http://ui.test/namespaces/default/workflows/invoice-') });
    expect(state.workflow.state).toMatchObject({ status: 'scheduled', level: 0, next: { level: 1, sendDate: '2099-01-12' } });
  });

  it('puts "document sent" on the timeline once when the billing system says when the invoice itself went out', async () => {
    const invoice = { customerRef: 'C-100', issueDate: '2099-01-10', currency: 'EUR', totalCents: 5_000, dueDate: '2099-02-10', sentAt: '2099-01-11' };
    expect((await call('PUT', '/invoices/F-SENT', invoice)).status).toBe(201);
    expect((await call('PUT', '/invoices/F-SENT', { ...invoice, totalCents: 6_000 })).status).toBe(200);
    const { timeline } = await (await call('GET', '/invoices/F-SENT/dunning')).json();
    expect(timeline.filter((e: { kind: string }) => e.kind === 'document_sent').map((e: { message: string; actor: string }) => [e.message, e.actor])).toEqual([
      ['Invoice sent to the customer on 11 January 2099', 'api'],
    ]);
    expect((await call('PUT', '/invoices/F-SENT', { ...invoice, sentAt: '11/01/2099' })).status).toBe(422);
  });

  it('records a payment once per external id and ends the dunning when the balance is paid', async () => {
    await call('PUT', '/customers/C-200', { name: 'Boulangerie', emails: ['b@x.example'] });
    await call('PUT', '/invoices/F-200', { customerRef: 'C-200', issueDate: '2099-03-01', currency: 'EUR', totalCents: 5_000, dueDate: '2099-03-31' });
    const wrongCurrency = await call('POST', '/payments', { invoiceNumber: 'F-200', amountCents: 5_000, currency: 'USD', paidOn: '2026-03-02', method: 'transfer', externalId: 'bank-1' });
    expect(wrongCurrency.status).toBe(422);
    const payment = { invoiceNumber: 'F-200', amountCents: 5_000, currency: 'EUR', paidOn: '2026-03-02', method: 'transfer', externalId: 'bank-1' };
    const first = await call('POST', '/payments', payment);
    expect(first.status).toBe(201);
    const again = await call('POST', '/payments', payment);
    expect(again.status).toBe(200);
    expect(await again.json()).toMatchObject({ duplicate: true, invoiceStatus: 'paid' });
    expect(await count('payments')).toBe(1);
    // A plain client: awaiting a result through the time-skipping one would let the server jump to
    // the next timer of any workflow here, and send reminders for invoices due in 2099.
    const plain = new Client({ connection: env.connection });
    const handle = plain.workflow.getHandle((await (await call('GET', '/invoices/F-200/dunning')).json()).workflow.workflowId);
    expect(await handle.result()).toEqual({ status: 'paid', level: 0 });
    const refused = await call('POST', '/invoices/F-200/pause', { reason: 'dispute' });
    expect(refused.status).toBe(409);
  });

  it('pauses and resumes through the workflow, and refuses a pause without a reason', async () => {
    await call('PUT', '/customers/C-300', { name: 'Garage', emails: ['g@x.example'] });
    await call('PUT', '/invoices/F-300', { customerRef: 'C-300', issueDate: '2099-03-01', currency: 'EUR', totalCents: 9_000, dueRule: { kind: 'days', days: 30 } });
    expect((await call('POST', '/invoices/F-300/pause', { reason: ' ' })).status).toBe(422);
    const paused = await call('POST', '/invoices/F-300/pause', { reason: 'Customer disputes the delivery' });
    expect(await paused.json()).toMatchObject({ status: 'held', hold: 'paused' });
    const resumed = await call('POST', '/invoices/F-300/resume');
    expect(await resumed.json()).toMatchObject({ status: 'scheduled', hold: null, next: { level: 1, sendDate: '2099-03-31' } });
    expect((await call('GET', '/invoices/F-404/dunning')).status).toBe(404);
  });
});
