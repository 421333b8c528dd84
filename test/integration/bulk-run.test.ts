import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, expect, it, vi } from 'vitest';
import { createBulkRun } from '../../db/queries/bulk-runs.js';
import { resumeUnstartedRuns } from '../../services/temporal/run-client.js';
import { invoiceFacts } from '../../db/queries/invoices.js';
import { createPolicy, defaultPolicyId, setCustomerPolicy, stepsOfPolicy, updateStep } from '../../db/queries/steps.js';
import { dunningWorkflowId, startOrWakeDunning } from '../../services/temporal/dunning-client.js';
import { stateQuery } from '../../workflows/messages.js';
import { addDays } from '../../workflows/schedule/calendar-date.js';
import { localDate } from '../../workflows/schedule/zoned-time.js';
import { followed, ORIGIN, signIn } from '../helpers/admin-session.js';
import { makeCustomer, makeInvoice } from '../helpers/fixtures.js';
import { pdfPages } from '../helpers/pdf-text.js';
import { startStack, type Stack } from '../helpers/stack.js';
import { recordHistory } from '../helpers/histories.js';
import { bulkRunWorkflowId } from '../../workflows/ids.js';

// 300 invoices chased in one run: e-mails, letters, customers without an address, invoices paid meanwhile.
const BY_EMAIL = 180;
const NO_EMAIL = 20;
const BY_LETTER = 80;
const PAID = 20;
let stack: Stack;
let db: Stack['db'];
let plain: Stack['client'];
let app: Stack['app'];
let session: { cookie: string; csrf: string };
// Sends go out until a test holds them: a run held mid-way cannot finish before the user's cancel.
const sends = { left: Infinity, reopened: Promise.resolve() };
function holdSendsAfter(count: number): () => void {
  let reopen = () => {};
  sends.left = count;
  sends.reopened = new Promise((resolve) => (reopen = resolve));
  return () => {
    sends.left = Infinity;
    reopen();
  };
}
const ids: Record<'email' | 'noEmail' | 'letter' | 'paid', number[]> = { email: [], noEmail: [], letter: [], paid: [] };
const today = localDate(Date.now(), 'Europe/Paris');

beforeAll(async () => {
  stack = await startStack('bulk', {
    tuning: { maxCachedWorkflows: 400 },
    mailer: (outbox) => ({
      kind: outbox.kind,
      async send(email) {
        if (sends.left-- <= 0) await sends.reopened;
        return outbox.send(email);
      },
    }),
  });
  ({ db, client: plain, app } = stack);
  session = await signIn(app, db.sql);

  // Customers on a "letters" policy get their first reminder by post.
  const letters = await createPolicy(db.sql, 'Courrier', (await defaultPolicyId(db.sql))!);
  const first = (await stepsOfPolicy(db.sql, letters))[0]!;
  await updateStep(db.sql, first.id, { ...first, channel: 'letter' });

  const due = addDays(today, 30);
  for (const [kind, count] of [['email', BY_EMAIL], ['noEmail', NO_EMAIL], ['letter', BY_LETTER], ['paid', PAID]] as const) {
    for (let i = 0; i < count; i += 10) {
      const customer = await makeCustomer(db.sql, kind === 'noEmail' ? { emails: [] } : {});
      if (kind === 'letter') await setCustomerPolicy(db.sql, customer, { policyId: letters, excluded: false, isBusiness: true });
      for (let j = 0; j < 10; j++) {
        const invoice = await makeInvoice(db.sql, customer, { dueDate: due, totalCents: 120_000 });
        ids[kind].push(invoice.id);
      }
    }
  }
  const all = Object.values(ids).flat();
  const refs = await db.sql<{ id: number; number: string; customerRef: string }[]>`
    select i.id, i.number, c.ref as "customerRef" from invoices i join customers c on c.id = i.customer_id`;
  await Promise.all(refs.map((r) => startOrWakeDunning(plain, 'bulk', r)));
  for (const id of all) {
    await vi.waitFor(async () => expect((await plain.workflow.getHandle(dunningWorkflowId(id)).query(stateQuery)).next).not.toBeNull(), { timeout: 30_000 });
  }
  // Paid in the meantime: their workflows end before the run asks them.
  await db.sql`update invoices set paid_cents = total_cents, status = 'paid' where id = any(${ids.paid}::bigint[])`;
  await Promise.all(ids.paid.map((id) => plain.workflow.getHandle(dunningWorkflowId(id)).signal('invoiceChanged')));
  await Promise.all(ids.paid.map((id) => plain.workflow.getHandle(dunningWorkflowId(id)).result()));
}, 180_000);
afterAll(() => stack?.stop());

const get = (path: string) => app.request(path, { headers: { cookie: session.cookie } });

it('sends each invoice its reminder, prepares the letters, and lists what could not be done', async () => {
  // Every invoice is due in 30 days: a computed run would send nothing, so the run sends early,
  // an explicit choice confirmed once the count of invoices not yet due is shown.
  const form = new URLSearchParams({ _csrf: session.csrf, level: 'next', channel: 'step', runKey: randomUUID() });
  for (const id of Object.values(ids).flat()) form.append('invoice', String(id));
  const post = () => app.request('/runs', {
    method: 'POST', headers: { cookie: session.cookie, origin: ORIGIN, 'content-type': 'application/x-www-form-urlencoded' }, body: form.toString(),
  });
  const confirmation = await post();
  expect(confirmation.status).toBe(200);
  const all = Object.values(ids).flat().length;
  expect(await confirmation.text()).toContain(`${all - PAID} des ${all} factures cochées ne sont pas encore à relancer`);
  expect((await db.sql`select count(*)::int as n from bulk_runs`)[0]!.n).toBe(0);
  form.set('confirmed', '1');
  const started = await post();
  expect(started.status).toBe(303);
  const runPath = started.headers.get('location')!;
  // The same form posted again (a double click, a retry after the server died): the same run, started once.
  expect((await post()).headers.get('location')).toBe(runPath);
  expect((await db.sql`select count(*)::int as n from bulk_runs`)[0]!.n).toBe(1);
  const runId = Number(runPath.split('/').at(-1));

  await vi.waitFor(async () => expect((await db.sql`select finished_at from bulk_runs where id = ${runId}`)[0]!.finished_at).not.toBeNull(), { timeout: 240_000, interval: 1000 });
  const outcomes = await db.sql<{ outcome: string; reason: string | null; n: number }[]>`
    select outcome, reason, count(*)::int as n from bulk_run_items where run_id = ${runId} group by outcome, reason order by outcome`;
  expect(outcomes).toEqual([
    { outcome: 'failed', reason: 'no e-mail address for this customer', n: NO_EMAIL },
    { outcome: 'prepared', reason: null, n: BY_LETTER },
    { outcome: 'sent', reason: null, n: BY_EMAIL },
    { outcome: 'skipped', reason: 'dunning has ended for this invoice (paid or cancelled)', n: PAID },
  ]);
  expect((await db.sql`select count(*)::int as n from outbox`)[0]!.n).toBe(BY_EMAIL);
  await recordHistory(plain.workflow.getHandle(bulkRunWorkflowId(runId)), 'bulk-run');
  await recordHistory(plain.workflow.getHandle(dunningWorkflowId(ids.email[0]!)), 'invoice-dunning-bulk-ask');
  const page = await (await get(runPath)).text();
  expect(page).toContain(`${NO_EMAIL + PAID + BY_LETTER + BY_EMAIL}</strong>`);
  expect(page).toContain('pas d&#39;adresse e-mail pour ce client');
  // The page's poll brings the failures card along with the count, so it never says "nothing to report" beside "1 failed".
  const polled = await (await get(`${runPath}/progress`)).text();
  expect(polled).toMatch(/<section class="card" id="run-problems" hx-swap-oob="true"><h2>Échecs et factures écartées<\/h2><table>/);
  expect(polled.match(/<td>Échec<\/td><td>\d*<\/td><td>pas d&#39;adresse e-mail pour ce client<\/td>/g)).toHaveLength(NO_EMAIL);
  // A letter waits for its download: the invoice holds, its level not yet advanced.
  const letterFacts = await invoiceFacts(db.sql, ids.letter[0]!);
  expect(letterFacts?.letterToPrint).toBe(true);
  await vi.waitFor(async () => expect((await plain.workflow.getHandle(dunningWorkflowId(ids.letter[0]!)).query(stateQuery)).hold).toBe('letter_to_print'));

  // The merged PDF: every letter and its stamped invoice copy, in the run's order.
  const merged = await get(`${runPath}/letters.pdf`);
  expect(merged.headers.get('content-type')).toBe('application/pdf');
  const pages = await pdfPages(new Uint8Array(await merged.arrayBuffer()));
  const stored = await db.sql<{ pages: number }[]>`select d.pages from documents d join bulk_run_items b on b.reminder_id = d.reminder_id where b.run_id = ${runId}`;
  expect(stored.length).toBe(BY_LETTER);
  expect(pages.length).toBe(stored.reduce((sum, d) => sum + d.pages, 0));
  const firstNumber = (await db.sql`select number from invoices where id = ${ids.letter[0]!}`)[0]!.number;
  expect(pages[0]).toContain('Ma Société SAS');
  expect(pages[0]).toContain('12 rue des Lilas');
  expect(pages[0]).toContain('69003 Lyon');
  expect(pages[1]).toContain(firstNumber);
  expect(pages[1]).toContain('RAPPEL');
  expect(pages[1]).toMatch(/1\s?200,00\s€/);

  // A download (a GET any page could trigger) changes nothing; "download and mark" (a POST with
  // the CSRF token) makes the letters sent, once: levels advance and the workflows plan level 2.
  const sentLetters = async () => (await db.sql`select count(*)::int as n from reminders where status = 'sent' and channel = 'letter'`)[0]!.n;
  expect(await sentLetters()).toBe(0);
  expect(await (await get(runPath)).text()).toContain('data-testid="print-pdf"');
  const postForm = (path: string, csrf = session.csrf) => app.request(path, {
    method: 'POST', headers: { cookie: session.cookie, origin: ORIGIN, 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams({ _csrf: csrf }).toString(),
  });
  const [firstLetter] = await db.sql<{ id: number }[]>`select d.id from documents d join bulk_run_items b on b.reminder_id = d.reminder_id where b.run_id = ${runId} order by d.id limit 1`;
  expect((await get(`/documents/${firstLetter!.id}`)).headers.get('content-type')).toBe('application/pdf');
  expect(await sentLetters()).toBe(0);
  expect((await postForm(`/documents/${firstLetter!.id}/printed`, 'forged')).status).toBe(403);
  expect((await postForm(`${runPath}/letters.pdf`, 'forged')).status).toBe(403);
  expect(await sentLetters()).toBe(0);
  // One letter marked on its own (from its invoice's page), then the rest of the run in one go.
  expect((await postForm(`/documents/${firstLetter!.id}/printed`)).status).toBe(303);
  expect(await sentLetters()).toBe(1);
  const printed = await postForm(`${runPath}/letters.pdf`);
  expect(printed.headers.get('content-type')).toBe('application/pdf');
  expect((await pdfPages(new Uint8Array(await printed.arrayBuffer()))).length).toBe(pages.length);
  expect(await sentLetters()).toBe(BY_LETTER);
  expect(await (await get(runPath)).text()).not.toContain('data-testid="print-pdf"');
  await vi.waitFor(async () => expect((await plain.workflow.getHandle(dunningWorkflowId(ids.letter[0]!)).query(stateQuery))).toMatchObject({ level: 1, hold: null }));
  const zip = new Uint8Array(await (await get(`${runPath}/letters.zip`)).arrayBuffer());
  const entries = Buffer.from(zip).toString('latin1').split('PK\u0001\u0002').length - 1;
  expect(entries).toBe(BY_LETTER);
  expect((await db.sql`select count(*)::int as n from follow_up_events where kind = 'letter_printed'`)[0]!.n).toBe(BY_LETTER);
}, 300_000);

it('starts a run written but never started (the web server died in between) when a worker comes up, and only once', async () => {
  const before = (await db.sql`select count(*)::int as n from outbox`)[0]!.n as number;
  const [user] = await db.sql<{ id: number }[]>`select id from users limit 1`;
  // Five invoices not reminded today (a run gives no invoice two levels on one day).
  const customer = await makeCustomer(db.sql);
  const fresh = await Promise.all([1, 2, 3, 4, 5].map(() => makeInvoice(db.sql, customer, { dueDate: addDays(today, 30), totalCents: 10_000 })));
  const [{ ref }] = await db.sql<[{ ref: string }]>`select ref from customers where id = ${customer}`;
  await Promise.all(fresh.map((invoice) => startOrWakeDunning(plain, 'bulk', { ...invoice, customerRef: ref })));
  const runId = await createBulkRun(db.sql, { userId: user!.id, forcedLevel: null, sendEarly: true, channel: 'email', attachPdf: false, invoiceIds: fresh.map((i) => i.id) });
  await Promise.all([resumeUnstartedRuns(plain, 'bulk', db.sql), resumeUnstartedRuns(plain, 'bulk', db.sql)]);
  await vi.waitFor(async () => expect((await db.sql`select finished_at from bulk_runs where id = ${runId}`)[0]!.finished_at).not.toBeNull(), { timeout: 60_000, interval: 500 });
  await resumeUnstartedRuns(plain, 'bulk', db.sql);
  expect(await db.sql`select outcome, count(*)::int as n from bulk_run_items where run_id = ${runId} group by outcome`).toEqual([{ outcome: 'sent', n: 5 }]);
  expect((await db.sql`select count(*)::int as n from outbox`)[0]!.n).toBe(before + 5);
}, 120_000);

it('a computed run sends only what is due, and no run gives an invoice two levels on one day; the invoice page may force it', async () => {
  const [user] = await db.sql<{ id: number }[]>`select id from users limit 1`;
  const customer = await makeCustomer(db.sql);
  const notDue = await Promise.all([1, 2].map(() => makeInvoice(db.sql, customer, { dueDate: addDays(today, 30), totalCents: 10_000 })));
  const [{ ref }] = await db.sql<[{ ref: string }]>`select ref from customers where id = ${customer}`;
  await Promise.all(notDue.map((invoice) => startOrWakeDunning(plain, 'bulk', { ...invoice, customerRef: ref })));
  for (const i of notDue) await vi.waitFor(async () => expect((await plain.workflow.getHandle(dunningWorkflowId(i.id)).query(stateQuery)).next).not.toBeNull());
  const before = (await db.sql`select count(*)::int as n from outbox`)[0]!.n as number;
  const run = async (invoiceIds: number[], forcedLevel: number | null) => {
    const runId = await createBulkRun(db.sql, { userId: user!.id, forcedLevel, channel: 'email', attachPdf: false, invoiceIds });
    await resumeUnstartedRuns(plain, 'bulk', db.sql);
    await vi.waitFor(async () => expect((await db.sql`select finished_at from bulk_runs where id = ${runId}`)[0]!.finished_at).not.toBeNull(), { timeout: 60_000, interval: 500 });
    return db.sql<{ outcome: string; reason: string }[]>`select outcome, reason from bulk_run_items where run_id = ${runId} order by position`;
  };
  // Not due for 30 days: left out, the day it is due named.
  const computed = await run(notDue.map((i) => i.id), null);
  expect(computed.map((r) => r.outcome)).toEqual(['skipped', 'skipped']);
  expect(computed[0]!.reason).toMatch(/^not_due: next step on \d{4}-\d{2}-\d{2}$/);
  // Reminded today by the first run: neither a computed nor a forced run sends another level today.
  expect((await run(ids.email.slice(0, 3), null)).map((r) => r.reason)).toEqual(['reminded_today', 'reminded_today', 'reminded_today']);
  expect((await run(ids.email.slice(0, 3), 2)).map((r) => r.reason)).toEqual(['reminded_today', 'reminded_today', 'reminded_today']);
  expect((await db.sql`select count(*)::int as n from outbox`)[0]!.n).toBe(before);
  // A person on the invoice's page may still force it.
  const [{ number }] = await db.sql<[{ number: string }]>`select number from invoices where id = ${ids.email[0]!}`;
  const forced = await followed(app, await app.request(`/invoices/${encodeURIComponent(number)}/send-now`, {
    method: 'POST', headers: { cookie: session.cookie, origin: ORIGIN, 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ _csrf: session.csrf, level: '2' }).toString(),
  }), session.cookie);
  expect(await forced.text()).toContain('Relance de niveau 2 envoyée.');
  expect((await db.sql`select count(*)::int as n from outbox`)[0]!.n).toBe(before + 1);
}, 180_000);

it("sends a user's own template in the runs they start", async () => {
  const [user] = await db.sql<{ id: number }[]>`select id from users order by id limit 1`;
  const customer = await makeCustomer(db.sql);
  const invoice = await makeInvoice(db.sql, customer, { dueDate: addDays(today, 30), totalCents: 10_000 });
  const [{ ref }] = await db.sql<[{ ref: string }]>`select ref from customers where id = ${customer}`;
  await startOrWakeDunning(plain, 'bulk', { ...invoice, customerRef: ref });
  await vi.waitFor(async () => expect((await plain.workflow.getHandle(dunningWorkflowId(invoice.id)).query(stateQuery)).next).not.toBeNull());
  const [first] = await db.sql<{ id: number }[]>`select id from follow_up_steps where policy_id = ${(await defaultPolicyId(db.sql))!} order by position limit 1`;
  await db.sql`insert into user_templates (user_id, step_id, channel, language, subject, body)
    values (${user!.id}, ${first!.id}, 'email', 'fr', 'Mon propre texte pour {{invoice.number}}', '<p>Bonjour, de ma part.</p>')`;
  const runId = await createBulkRun(db.sql, { userId: user!.id, forcedLevel: null, sendEarly: true, channel: 'email', attachPdf: false, invoiceIds: [invoice.id] });
  await resumeUnstartedRuns(plain, 'bulk', db.sql);
  await vi.waitFor(async () => expect((await db.sql`select finished_at from bulk_runs where id = ${runId}`)[0]!.finished_at).not.toBeNull(), { timeout: 60_000, interval: 500 });
  expect(await db.sql`select subject from outbox where subject like ${`%${invoice.number}%`}`).toEqual([{ subject: `Mon propre texte pour ${invoice.number}` }]);
  expect(await db.sql`select user_id from reminders where invoice_id = ${invoice.id}`).toEqual([{ user_id: user!.id }]);
});

it('sends each invoice by the channel chosen on its row, the others by the run’s, and names a bad choice', async () => {
  const customer = await makeCustomer(db.sql);
  const [{ ref }] = await db.sql<[{ ref: string }]>`select ref from customers where id = ${customer}`;
  const [byPost, byEmail] = await Promise.all([1, 2].map(() => makeInvoice(db.sql, customer, { dueDate: addDays(today, 30), totalCents: 10_000 })));
  await Promise.all([byPost!, byEmail!].map((invoice) => startOrWakeDunning(plain, 'bulk', { ...invoice, customerRef: ref })));
  for (const i of [byPost!, byEmail!]) await vi.waitFor(async () => expect((await plain.workflow.getHandle(dunningWorkflowId(i.id)).query(stateQuery)).next).not.toBeNull());
  const post = (fields: Record<string, string>) => {
    const form = new URLSearchParams({ _csrf: session.csrf, level: 'next', channel: 'email', runKey: randomUUID(), confirmed: '1', ...fields });
    for (const i of [byPost!, byEmail!]) form.append('invoice', String(i.id));
    return app.request('/runs', { method: 'POST', headers: { cookie: session.cookie, origin: ORIGIN, 'content-type': 'application/x-www-form-urlencoded' }, body: form.toString() });
  };
  const refused = await post({ [`channel-${byPost!.id}`]: 'fax' });
  expect(refused.status).toBe(422);
  expect(await refused.text()).toContain(`channel-${byPost!.id}: « e-mail », « courrier » ou vide`);

  const started = await post({ [`channel-${byPost!.id}`]: 'letter', [`channel-${byEmail!.id}`]: '' });
  expect(started.status).toBe(303);
  const runId = Number(started.headers.get('location')!.split('/').at(-1));
  await vi.waitFor(async () => expect((await db.sql`select finished_at from bulk_runs where id = ${runId}`)[0]!.finished_at).not.toBeNull(), { timeout: 60_000, interval: 500 });
  const reminder = async (id: number) => db.sql`select channel, status from reminders where invoice_id = ${id}`;
  expect(await reminder(byPost!.id)).toEqual([{ channel: 'letter', status: 'prepared' }]);
  expect(await reminder(byEmail!.id)).toEqual([{ channel: 'email', status: 'sent' }]);
});

it('stops a run cancelled from its page: no invoice is asked after the cancel, each says whether it went out, and the run says after how many', async () => {
  const customer = await makeCustomer(db.sql);
  const [{ ref }] = await db.sql<[{ ref: string }]>`select ref from customers where id = ${customer}`;
  const invoices = [];
  for (let i = 0; i < 200; i++) invoices.push(await makeInvoice(db.sql, customer, { dueDate: addDays(today, 30), totalCents: 5_000 }));
  await Promise.all(invoices.map((invoice) => startOrWakeDunning(plain, 'bulk', { ...invoice, customerRef: ref })));
  for (const i of invoices) await vi.waitFor(async () => expect((await plain.workflow.getHandle(dunningWorkflowId(i.id)).query(stateQuery)).next).not.toBeNull(), { timeout: 30_000 });
  const [user] = await db.sql<{ id: number }[]>`select id from users order by id limit 1`;
  const runId = await createBulkRun(db.sql, { userId: user!.id, forcedLevel: null, sendEarly: true, channel: 'email', attachPdf: false, invoiceIds: invoices.map((i) => i.id) });
  // The user cancels once the run is under way (the first answers are in), before it could end.
  const reopen = holdSendsAfter(10);
  await resumeUnstartedRuns(plain, 'bulk', db.sql);
  await vi.waitFor(async () => expect((await db.sql`select count(outcome)::int as n from bulk_run_items where run_id = ${runId}`)[0]!.n).toBeGreaterThan(0), { timeout: 60_000, interval: 50 });
  const cancel = await app.request(`/runs/${runId}/cancel`, {
    method: 'POST', headers: { cookie: session.cookie, origin: ORIGIN, 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams({ _csrf: session.csrf }).toString(),
  });
  expect(cancel.status).toBe(303);
  reopen();
  await vi.waitFor(async () => expect((await db.sql`select cancelled_at from bulk_runs where id = ${runId}`)[0]!.cancelled_at).not.toBeNull(), { timeout: 60_000, interval: 250 });

  // Every invoice has its answer, and it is the truth: "sent" went out in this run, "cancelled" did
  // not (asks under way when the cancel came finish and record theirs).
  const answers = async () => db.sql<{ outcome: string | null; sentInRun: boolean }[]>`
    select b.outcome, exists (select 1 from reminders r where r.invoice_id = b.invoice_id and r.run_id = ${runId}) as "sentInRun"
    from bulk_run_items b where b.run_id = ${runId}`;
  await vi.waitFor(async () => {
    const items = await answers();
    expect(items.filter((i) => i.outcome === null || (i.outcome === 'cancelled') === i.sentInRun)).toEqual([]);
  }, { timeout: 30_000, interval: 250 });
  const items = await answers();
  const cancelled = items.filter((i) => i.outcome === 'cancelled').length;
  expect(cancelled).toBeGreaterThan(0);
  expect(items.filter((i) => i.sentInRun).length).toBe(200 - cancelled);
  const page = await (await get(`/runs/${runId}/progress`)).text();
  expect(page).toContain(`Lot annulé après ${200 - cancelled} factures sur 200`);
  await recordHistory(plain.workflow.getHandle(bulkRunWorkflowId(runId)), 'bulk-run-cancelled');
  expect(page).not.toContain('hx-trigger="every 1s"');
}, 120_000);
