import { timelineTexts } from '../helpers/database.js';
import { afterAll, beforeAll, expect, it, vi } from 'vitest';
import { mandateOf } from '../../db/queries/mandates.js';
import { upsertInvoice } from '../../db/queries/invoices.js';
import { createSepaRun, sepaCandidates } from '../../db/queries/sepa-runs.js';
import { sepaRunWorkflowId } from '../../workflows/ids.js';
import { sepaRun } from '../../workflows/sepa-run.js';
import { getSepaCreditor } from '../../db/queries/settings.js';
import { dunningWorkflowId, startOrWakeDunning } from '../../services/temporal/dunning-client.js';
import { stateQuery } from '../../workflows/messages.js';
import { addDays } from '../../workflows/schedule/calendar-date.js';
import { localDate } from '../../workflows/schedule/zoned-time.js';
import { adminBrowser, ORIGIN, signIn } from '../helpers/admin-session.js';
import { LATE_FOR, makeCustomer, makeInvoice } from '../helpers/fixtures.js';
import { sepaFileOfZip } from '../helpers/sepa-xml.js';
import { API_TOKEN, startStack, type Stack } from '../helpers/stack.js';
import { recordHistory } from '../helpers/histories.js';

let stack: Stack;
let db: Stack['db'];
let app: Stack['app'];
let admin: { cookie: string; csrf: string };
let customerId: number;

beforeAll(async () => {
  stack = await startStack('sepa');
  ({ db, app } = stack);
  admin = await signIn(app, db.sql, 'admin');
  customerId = await makeCustomer(db.sql, { ref: 'C-SEPA', name: 'Boulangerie Martin' });
  await makeCustomer(db.sql, { ref: 'C-OTHER' });
});
afterAll(() => stack?.stop());

const post = (path: string, fields: Record<string, string>) => adminBrowser(app, admin).post(path, fields);
const mandate = { iban: 'fr76 3000 6000 0112 3456 7890 189', bic: 'agrifrpp', holder: 'Boulangerie Martin', bankName: 'Crédit Agricole', reference: 'RUM-2025-0001', signedOn: '2025-03-01', signedPlace: 'Lyon', sequence: 'FRST' };

it('refuses a bad bank account or mandate naming each field, and saves nothing', async () => {
  const body = await post('/customers/C-SEPA/mandate', { ...mandate, iban: 'FR76 3000 6000 0112 3456 7890 180', bic: 'NOTABIC', reference: 'RUM 2025/é', signedOn: '01/03/2025', sequence: 'XXXX' });
  expect(body).toContain('IBAN: not a valid IBAN');
  expect(body).toContain('BIC: not a valid BIC');
  expect(body).toContain('Unique mandate reference: letters, digits');
  expect(body).toContain('Signed on: a date YYYY-MM-DD');
  expect(body).toContain('Sequence type: FRST, RCUR, OOFF or FNAL');
  expect(await mandateOf(db.sql, customerId)).toBeUndefined();
});

it('saves a valid mandate in electronic form, and keeps references unique across customers', async () => {
  expect(await post('/customers/C-SEPA/mandate', mandate)).toContain('Done.');
  expect(await mandateOf(db.sql, customerId)).toMatchObject({ iban: 'FR7630006000011234567890189', bic: 'AGRIFRPP', reference: 'RUM-2025-0001', sequence: 'FRST' });
  expect(await post('/customers/C-OTHER/mandate', mandate)).toContain("Unique mandate reference: this reference is already another customer's mandate");
});

it("checks the creditor's identifier, IBAN and BIC before saving them", async () => {
  const bad = await post('/settings/sepa', { name: 'Ma Société SAS', creditorId: 'FR73ZZZ123456', iban: 'FR7630006000011234567890189', bic: '', leadDays: '2' });
  expect(bad).toContain('SEPA creditor identifier (ICS): not a valid SEPA creditor identifier');
  expect((await getSepaCreditor(db.sql)).creditorId).toBe('');
  await post('/settings/sepa', { name: 'Ma Société SAS', creditorId: 'fr72 zzz 123456', iban: 'FR76 3000 6000 0112 3456 7890 189', bic: '', leadDays: '2' });
  expect(await getSepaCreditor(db.sql)).toEqual({ name: 'Ma Société SAS', creditorId: 'FR72ZZZ123456', iban: 'FR7630006000011234567890189', bic: null, leadDays: 2 });
});

it('collects the mandated invoices in a pain.008 file that validates, holds their dunning, then records the outcome', async () => {
  const today = localDate(Date.now(), 'Europe/Paris');
  const sepaCustomer = (await db.sql<{ id: number; ref: string }[]>`select id, ref from customers where ref = 'C-SEPA'`)[0]!;
  const collected = await makeInvoice(db.sql, sepaCustomer.id, { number: 'F-SEPA-1', dueDate: addDays(today, -3), totalCents: 45_000 });
  const returned = await makeInvoice(db.sql, sepaCustomer.id, { number: 'F-SEPA-2', dueDate: addDays(today, -LATE_FOR[1]), totalCents: 12_000 });
  await makeInvoice(db.sql, await makeCustomer(db.sql, { ref: 'C-NOMANDATE' }), { number: 'F-NOMANDATE', dueDate: addDays(today, -3) });
  for (const inv of [collected, returned]) await startOrWakeDunning(stack.client, 'sepa', { ...inv, customerRef: 'C-SEPA' });
  const get = (path: string) => app.request(path, { headers: { cookie: `${admin.cookie}; relance_lang=en` } });

  const early = await (await get(`/sepa/preview?collectionDate=${today}&format=pain.008.001.02`)).text();
  expect(early).toMatch(/collectionDate: \d{4}-\d{2}-\d{2} at the earliest/);
  const earliest = /collectionDate: (\d{4}-\d{2}-\d{2})/.exec(early)![1]!;
  const preview = await (await get(`/sepa/preview?collectionDate=${earliest}&format=pain.008.003.02&label=Nov`)).text();
  expect(preview).toContain('2 direct debits for €570.00');
  expect(preview).not.toContain('F-NOMANDATE');

  const form = new URLSearchParams({ _csrf: admin.csrf, collectionDate: earliest, format: 'pain.008.003.02', label: 'Nov' });
  for (const inv of [collected, returned]) form.append('invoice', String(inv.id));
  const started = await app.request('/sepa', { method: 'POST', headers: { cookie: admin.cookie, origin: ORIGIN, 'content-type': 'application/x-www-form-urlencoded' }, body: form.toString() });
  const runPath = started.headers.get('location')!;
  await vi.waitFor(async () => expect((await db.sql`select status from sepa_runs`)[0]!.status).toBe('sent'), { timeout: 20_000 });

  const { xml, verdict } = sepaFileOfZip(new Uint8Array(await (await get(`${runPath}/file.zip`)).arrayBuffer()), 'pain.008.003.02');
  expect(verdict).toContain('validates');
  expect(xml).toContain('<SeqTp>FRST</SeqTp>');
  expect(xml).toContain('<CtrlSum>570.00</CtrlSum>');
  expect(xml).toContain('<MndtId>RUM-2025-0001</MndtId>');

  // First collection done: the mandate is recurring from now on; dunning waits for the bank.
  expect((await mandateOf(db.sql, customerId))!.sequence).toBe('RCUR');
  await recordHistory(stack.client.workflow.getHandle(sepaRunWorkflowId(Number(runPath.split('/').at(-1)))), 'sepa-run');
  await vi.waitFor(async () => expect((await stack.client.workflow.getHandle(dunningWorkflowId(collected.id)).query(stateQuery)).hold).toBe('collection_pending'));

  const post = (path: string, fields: Record<string, string>) =>
    app.request(path, { method: 'POST', headers: { cookie: admin.cookie, origin: ORIGIN, 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams({ _csrf: admin.csrf, ...fields }).toString() });
  await post(`${runPath}/reject`, { invoice: String(returned.id), reason: 'AM04 insufficient funds' });
  await post(`${runPath}/collected`, {});
  expect(await db.sql`select number, status, paid_cents from invoices where number like 'F-SEPA-%' order by number`).toEqual([
    { number: 'F-SEPA-1', status: 'paid', paid_cents: 45_000 },
    { number: 'F-SEPA-2', status: 'open', paid_cents: 0 },
  ]);
  expect(await stack.client.workflow.getHandle(dunningWorkflowId(collected.id)).result()).toMatchObject({ status: 'paid' });
  await vi.waitFor(async () => expect((await stack.client.workflow.getHandle(dunningWorkflowId(returned.id)).query(stateQuery)).hold).toBeNull());
  expect(await timelineTexts(db.sql, 'sepa_collection_rejected')).toEqual(['SEPA direct debit rejected: AM04 insufficient funds']);

  // Dunning resumes with the reminder due (level 1, held since the debit went out), in the "direct debit returned" words.
  const notice = await vi.waitFor(async () => {
    const [row] = await db.sql<{ subject: string; html: string }[]>`select subject, html from outbox where subject like ${'%F-SEPA-2%'} order by id desc limit 1`;
    expect(row?.subject).toBe('Prélèvement rejeté : facture F-SEPA-2');
    return row!;
  }, { timeout: 20_000 });
  expect(notice.html).toContain('AM04 insufficient funds');
  expect((await db.sql`select level from reminders r join invoices i on i.id = r.invoice_id where i.number = 'F-SEPA-2' order by level`).map((r) => r.level)).toEqual([1]);
});

it('takes a mandate through the API, naming each bad field, and serves the OpenAPI document', async () => {
  const put = (body: unknown) =>
    app.request('/api/v1/customers/C-OTHER/mandate', { method: 'PUT', headers: { authorization: `Bearer ${API_TOKEN}`, 'content-type': 'application/json' }, body: JSON.stringify(body) });
  const bad = await put({ iban: 'DE89 3704 0044 0532 0130 01', holder: '', reference: 'RUM-API-1', signedOn: '2025-13-01' });
  expect(bad.status).toBe(422);
  expect((await bad.json()).problems.map((p: { field: string }) => p.field).sort()).toEqual(['holder', 'iban', 'signedOn']);
  const otherId = (await db.sql<{ id: number }[]>`select id from customers where ref = 'C-OTHER'`)[0]!.id;
  expect(await mandateOf(db.sql, otherId)).toBeUndefined();
  const ok = await put({ iban: 'DE89 3704 0044 0532 0130 00', holder: 'Other GmbH', reference: 'RUM-API-1', signedOn: '2025-06-01', sequence: 'RCUR' });
  expect(ok.status).toBe(200);
  expect(await mandateOf(db.sql, otherId)).toMatchObject({ iban: 'DE89370400440532013000', bic: null, reference: 'RUM-API-1', sequence: 'RCUR' });
  expect((await put({ iban: 'DE89370400440532013000', holder: 'X', reference: 'RUM-2025-0001', signedOn: '2025-06-01' })).status).toBe(422);
  const doc = await (await app.request('/api/v1/openapi.json')).json();
  expect(doc.paths['/customers/{ref}/mandate']).toBeDefined();
});

it('debits an installment invoice for the installments due by the collection date, never one still to come', async () => {
  const today = localDate(Date.now(), 'Europe/Paris');
  await upsertInvoice(db.sql, {
    number: 'F-SEPA-STAGES', customerId, issueDate: addDays(today, -40), dueDate: addDays(today, 60), currency: 'EUR', totalCents: 40_000, status: 'open',
    installments: [
      { seq: 1, dueDate: addDays(today, -10), amountCents: 10_000, label: 'Acompte' },
      { seq: 2, dueDate: addDays(today, 60), amountCents: 30_000, label: 'Solde' },
    ],
  });
  const staged = async (date: string) => (await sepaCandidates(db.sql, date)).find((c) => c.number === 'F-SEPA-STAGES');
  expect(await staged(addDays(today, 7))).toMatchObject({ amountCents: 10_000, dueDate: addDays(today, -10) });
  expect(await staged(addDays(today, 60))).toMatchObject({ amountCents: 40_000 });
});

it('names the debtors that block a format before the run, and a run whose file cannot be built fails visibly and releases its invoices', async () => {
  const today = localDate(Date.now(), 'Europe/Paris');
  expect(await post('/customers/C-OTHER/mandate', { ...mandate, bic: '', holder: 'Sans BIC SARL', reference: 'RUM-2025-0099' })).toContain('Done.');
  const [{ id: otherId }] = await db.sql<[{ id: number }]>`select id from customers where ref = 'C-OTHER'`;
  const invoice = await makeInvoice(db.sql, otherId, { number: 'F-NOBIC', dueDate: addDays(today, -5), totalCents: 7_000 });
  const get = (path: string) => app.request(path, { headers: { cookie: `${admin.cookie}; relance_lang=en` } });
  const earliest = /collectionDate: (\d{4}-\d{2}-\d{2})/.exec(await (await get(`/sepa/preview?collectionDate=${today}&format=pain.008.002.02`)).text())![1]!;

  const preview = await (await get(`/sepa/preview?collectionDate=${earliest}&format=pain.008.002.02`)).text();
  expect(preview).toContain('The pain.008.002.02 file cannot be built');
  expect(preview).toContain('required by pain.008.002.02 (Sans BIC SARL (F-NOBIC))');
  const form = new URLSearchParams({ _csrf: admin.csrf, collectionDate: earliest, format: 'pain.008.002.02', label: '', invoice: String(invoice.id) });
  const refused = await app.request('/sepa', { method: 'POST', headers: { cookie: `${admin.cookie}; relance_lang=en`, origin: ORIGIN, 'content-type': 'application/x-www-form-urlencoded' }, body: form.toString() });
  expect(await refused.text()).toContain('Sans BIC SARL (F-NOBIC)');
  const runsBefore = (await db.sql`select count(*)::int as n from sepa_runs`)[0]!.n;
  expect(runsBefore).toBe(1);

  // A run written anyway (an older version, a direct write): its worker fails it with the reason, and stays up.
  const [admin1] = await db.sql<{ id: number }[]>`select id from users limit 1`;
  const runId = await createSepaRun(db.sql, { userId: admin1!.id, collectionDate: earliest, format: 'pain.008.002.02', label: '', messageId: 'RELANCE-FAIL-1', invoiceIds: [invoice.id] });
  await stack.client.workflow.start(sepaRun, { workflowId: sepaRunWorkflowId(runId), taskQueue: 'sepa', args: [{ runId }] });
  await vi.waitFor(async () => expect((await db.sql`select status from sepa_runs where id = ${runId}`)[0]!.status).toBe('failed'), { timeout: 20_000 });
  expect(await (await get(`/sepa/${runId}`)).text()).toMatch(/data-testid="sepa-failure">Failed: debits\[0\]\.debtor\.bic: required by pain\.008\.002\.02/);
  expect(await db.sql`select outcome from sepa_run_items where run_id = ${runId}`).toEqual([{ outcome: 'released' }]);
  await recordHistory(stack.client.workflow.getHandle(sepaRunWorkflowId(runId)), 'sepa-run-failed');
  expect((await sepaCandidates(db.sql, earliest)).map((c) => c.number)).toContain('F-NOBIC');
});

it('shows a run whose workflow was terminated in Temporal as stopped, not as generating forever', async () => {
  const [admin1] = await db.sql<{ id: number }[]>`select id from users limit 1`;
  const today = localDate(Date.now(), 'Europe/Paris');
  const runId = await createSepaRun(db.sql, { userId: admin1!.id, collectionDate: addDays(today, 10), format: 'pain.008.001.02', label: '', messageId: 'RELANCE-TERM-1', invoiceIds: [] });
  // On a task queue no worker polls: the run stays 'generating' until the operator terminates it.
  const handle = await stack.client.workflow.start(sepaRun, { workflowId: sepaRunWorkflowId(runId), taskQueue: 'nobody-polls', args: [{ runId }] });
  const page = async () => (await app.request(`/sepa/${runId}`, { headers: { cookie: `${admin.cookie}; relance_lang=en` } })).text();
  expect(await page()).toContain('hx-trigger="every 1s"');
  await handle.terminate('operator test');
  const after = await page();
  expect(after).toContain('data-testid="sepa-failure">The run&#39;s workflow stopped in Temporal (TERMINATED) before the end');
  expect(after).not.toContain('hx-trigger="every 1s"');
});

it('cancels a run from its page before its file is built: nothing kept, no debit asked, its invoices chased again, its workflow ends cancelled', async () => {
  const today = localDate(Date.now(), 'Europe/Paris');
  const [user] = await db.sql<{ id: number; email: string }[]>`select id, email from users limit 1`;
  const invoice = await makeInvoice(db.sql, customerId, { number: 'F-SEPA-STOP', dueDate: addDays(today, -4), totalCents: 9_900 });
  const runId = await createSepaRun(db.sql, { userId: user!.id, collectionDate: addDays(today, 10), format: 'pain.008.001.02', label: '', messageId: 'RELANCE-STOP-1', invoiceIds: [invoice.id] });
  // Where no worker polls yet: the cancel reaches the run before anything of it has run.
  const queue = 'sepa-cancelled-before-it-runs';
  const handle = await stack.client.workflow.start(sepaRun, { workflowId: sepaRunWorkflowId(runId), taskQueue: queue, args: [{ runId }] });
  const page = async (lang: string) => (await app.request(`/sepa/${runId}`, { headers: { cookie: `${admin.cookie}; relance_lang=${lang}` } })).text();
  expect(await page('fr')).toContain('Annuler la remise');
  expect((await sepaCandidates(db.sql, addDays(today, 10))).map((c) => c.number)).not.toContain('F-SEPA-STOP');

  const cancel = await app.request(`/sepa/${runId}/cancel`, { method: 'POST', headers: { cookie: admin.cookie, origin: ORIGIN, 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams({ _csrf: admin.csrf }).toString() });
  expect(cancel.status).toBe(303);
  const after = await page('en');
  expect(after).toContain(`data-testid="sepa-cancelled">Run cancelled by ${user!.email} before its file was built`);
  expect(after).toContain('data-testid="sepa-status">Cancelled');
  expect(after).not.toContain('hx-trigger="every 1s"');
  expect(after).not.toContain('data-testid="cancel-sepa"');
  expect(await db.sql`select outcome, reason from sepa_run_items where run_id = ${runId}`).toEqual([{ outcome: 'released', reason: `cancelled by ${user!.email}` }]);
  expect((await sepaCandidates(db.sql, addDays(today, 10))).map((c) => c.number)).toContain('F-SEPA-STOP');

  // Its workflow, once a worker picks it up, finds the cancel and ends cancelled, keeping no file.
  const worker = await stack.workerOn(queue);
  await worker.runUntil(handle.result().catch((err: Error) => err));
  expect((await handle.describe()).status.name).toBe('CANCELLED');
  expect(await db.sql`select status, zip is null as "noFile", cancelled_by as "cancelledBy" from sepa_runs where id = ${runId}`).toEqual([{ status: 'cancelled', noFile: true, cancelledBy: user!.email }]);
});

it('a run cancelled in Temporal releases its invoices as one cancelled from its page does', async () => {
  const today = localDate(Date.now(), 'Europe/Paris');
  const [user] = await db.sql<{ id: number }[]>`select id from users limit 1`;
  const invoice = await makeInvoice(db.sql, customerId, { number: 'F-SEPA-TSTOP', dueDate: addDays(today, -4), totalCents: 8_800 });
  const runId = await createSepaRun(db.sql, { userId: user!.id, collectionDate: addDays(today, 11), format: 'pain.008.001.02', label: '', messageId: 'RELANCE-STOP-2', invoiceIds: [invoice.id] });
  const queue = 'sepa-cancelled-in-temporal';
  const handle = await stack.client.workflow.start(sepaRun, { workflowId: sepaRunWorkflowId(runId), taskQueue: queue, args: [{ runId }] });
  await handle.cancel();
  await (await stack.workerOn(queue)).runUntil(handle.result().catch((err: Error) => err));
  expect((await handle.describe()).status.name).toBe('CANCELLED');
  expect(await db.sql`select status, cancelled_by as "cancelledBy" from sepa_runs where id = ${runId}`).toEqual([{ status: 'cancelled', cancelledBy: 'operator (Temporal)' }]);
  expect(await db.sql`select outcome from sepa_run_items where run_id = ${runId}`).toEqual([{ outcome: 'released' }]);
  expect((await timelineTexts(db.sql, 'sepa_run_cancelled', invoice.id))[0]).toContain('cancelled by operator (Temporal)');
  await recordHistory(handle, 'sepa-run-cancelled');
});
