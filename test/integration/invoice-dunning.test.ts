import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { Worker, type WorkflowBundleWithSourceMap } from '@temporalio/worker';
import Holidays from 'date-holidays';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { Sql } from '../../db/client.js';
import { closeDispute, openDispute, recordPromise } from '../../db/queries/disputes.js';
import { recordPayment } from '../../db/queries/payments.js';
import { setInvoicePaused } from '../../db/queries/invoices.js';
import { createPolicy, defaultPolicyId, setCustomerPolicy, setSendingOptions, stepsOfPolicy, updateStep } from '../../db/queries/steps.js';
import { documentById, lettersOfInvoice } from '../../db/queries/documents.js';
import { markLettersPrinted } from '../../db/queries/reminders.js';
import { pdfPages } from '../helpers/pdf-text.js';
import { formatMoney } from '../../services/format.js';
import { createOutboxMailer } from '../../services/mail/outbox-mailer.js';
import { createResendMailer } from '../../services/mail/resend-mailer.js';
import type { Mailer } from '../../services/mail/mailer.js';
import { createWorker, type RelanceWorker } from '../../worker/create-worker.js';
import { dunningWorkflowId, startOrWakeDunning } from '../../services/temporal/dunning-client.js';
import { invoiceChangedSignal, pauseUpdate, paymentRecordedSignal, resumeUpdate, sendNowUpdate, stateQuery, stepsChangedSignal } from '../../workflows/messages.js';
import { addDays, dayOfWeek } from '../../workflows/schedule/calendar-date.js';
import { instantAt, localDate } from '../../workflows/schedule/zoned-time.js';
import { forecast } from '../../workflows/schedule/next-action.js';
import { loadDunningFacts } from '../../db/queries/dunning-facts.js';
import { freshDatabase } from '../helpers/database.js';
import { testPdfRenderer } from '../helpers/pdf.js';
import { LATE_FOR, makeCustomer, makeInvoice } from '../helpers/fixtures.js';
import { startResendServer } from '../helpers/resend-server.js';
import { testApp, testStripeConnect } from '../helpers/stack.js';
import { adminBrowser, signIn } from '../helpers/admin-session.js';
import { statementWorkflowId } from '../../workflows/ids.js';
import { timeSkippingEnvironment, workflowBundle } from '../helpers/temporal.js';
import { recordHistory } from '../helpers/histories.js';

// An independent oracle for French business days: the date-holidays library.
const fr = new Holidays('FR');
const isBusinessDay = (d: string) => ![0, 6].includes(dayOfWeek(d)) && !(fr.isHoliday(new Date(`${d}T12:00:00Z`)) || []).some((h) => h.type === 'public');
const nextBusinessDay = (d: string): string => (isBusinessDay(d) ? d : nextBusinessDay(addDays(d, 1)));
const nineInParis = (d: string) => instantAt(d, 9, 'Europe/Paris');

const pdf = testPdfRenderer();
let env: TestWorkflowEnvironment;
let bundle: WorkflowBundleWithSourceMap;
let db: Awaited<ReturnType<typeof freshDatabase>>;
let sql: Sql;
let taskQueueSeq = 0;

beforeAll(async () => {
  [env, bundle, db] = await Promise.all([timeSkippingEnvironment(), workflowBundle(), freshDatabase()]);
  sql = db.sql;
});
afterAll(async () => {
  await pdf.close();
  await env?.teardown();
  await db?.drop();
});

function newWorker(mailer: Mailer, taskQueue: string, tuning: { maxCachedWorkflows?: number } = {}): Promise<RelanceWorker> {
  return createWorker({
    connection: env.nativeConnection,
    namespace: 'default',
    taskQueue,
    workflowBundle: bundle,
    deps: { sql, mailer, defaultFrom: 'Relance <relance@test.example>', pdf, temporal: env.client, stripe: testStripeConnect(), publicUrl: 'http://relance.test' },
    tuning,
  });
}

async function startDunning(invoice: { id: number; number: string }, taskQueue: string) {
  await startOrWakeDunning(env.client, taskQueue, { ...invoice, customerRef: 'C-test' });
  return env.client.workflow.getHandle(dunningWorkflowId(invoice.id));
}

async function sentReminders(invoiceId: number) {
  return sql<{ level: number; sentAt: Date; status: string }[]>`
    select level, sent_at as "sentAt", status from reminders where invoice_id = ${invoiceId} order by level`;
}

/** Today on the test server's clock, which moves on as time is skipped. */
async function serverToday(): Promise<string> {
  return localDate(await env.currentTimeMs(), 'Europe/Paris');
}

/** The first Saturday at least `minDays` ahead: level 1 then falls on a weekend and must move. */
async function upcomingSaturday(minDays: number): Promise<string> {
  let d = addDays(await serverToday(), minDays);
  while (dayOfWeek(d) !== 6) d = addDays(d, 1);
  return d;
}

/** Sent at the send hour of its day: the timer fires then, give or take the milliseconds of a task. */
function sentAtNineOn(day: string) {
  return expect.toSatisfy((d: Date) => d.getTime() - nineInParis(day) >= 0 && d.getTime() - nineInParis(day) < 60_000);
}

async function updateRefusal(promise: Promise<unknown>): Promise<string> {
  const err = (await promise.then(() => null, (e: unknown) => e)) as { cause?: { message?: string } } | null;
  return err?.cause?.message ?? 'not refused';
}

describe('invoice dunning workflow (time-skipping Temporal + Postgres)', () => {
  it('sends the four levels in order on business days at 09:00 Paris time, holds in litigation, and closes on payment', async () => {
    const taskQueue = `q${++taskQueueSeq}`;
    const customerId = await makeCustomer(sql);
    const due = await upcomingSaturday(3);
    const invoice = await makeInvoice(sql, customerId, { dueDate: due });
    const worker = await newWorker(createOutboxMailer(sql), taskQueue);
    const result = await worker.runUntil(async () => {
      const handle = await startDunning(invoice, taskQueue);
      await waitFor(async () => (await handle.query(stateQuery)).status === 'litigation');
      expect(await handle.query(stateQuery)).toMatchObject({ level: 4, next: null });
      await env.sleep('30 days');
      expect(await sentReminders(invoice.id)).toHaveLength(4);
      const { paymentId } = await recordPayment(sql, {
        invoiceId: invoice.id, amountCents: 120_000, currency: 'EUR', paidOn: await serverToday(), method: 'transfer', source: 'api', externalId: `late-${invoice.id}`, actor: 'test',
      });
      await handle.signal(paymentRecordedSignal, { paymentId });
      const outcome = await handle.result();
      // A whole life (four levels, litigation, a late payment) replays with today's workflow code.
      const history = await handle.fetchHistory();
      await Worker.runReplayHistory({ workflowBundle: bundle, replayName: 'full-life' }, history);
      // Started at today's code version: no patch markers, each an event and a search-attribute write for the engine.
      expect(history.events!.filter((e) => e.markerRecordedEventAttributes?.markerName === 'core_patch')).toEqual([]);
      await recordHistory(handle, 'invoice-dunning'); 
      return outcome;
    });

    expect(result).toEqual({ status: 'paid', level: 4 });
    const l1 = nextBusinessDay(due);
    const l2 = nextBusinessDay(addDays(l1, 15));
    const l3 = nextBusinessDay(addDays(l2, 15));
    const l4 = nextBusinessDay(addDays(l3, 15));
    const rows = await sentReminders(invoice.id);
    expect(rows).toEqual([
      { level: 1, status: 'sent', sentAt: sentAtNineOn(l1) },
      { level: 2, status: 'sent', sentAt: sentAtNineOn(l2) },
      { level: 3, status: 'sent', sentAt: sentAtNineOn(l3) },
      { level: 4, status: 'sent', sentAt: sentAtNineOn(l4) },
    ]);
    expect(l1).not.toBe(due);
    const [{ count }] = await sql<[{ count: number }]>`
      select count(*)::int as count from outbox where idempotency_key like ${`relance-${invoice.id}-%`}`;
    expect(count).toBe(4);
    const kinds = await sql<{ kind: string }[]>`select kind from follow_up_events where invoice_id = ${invoice.id} order by id`;
    expect(kinds.map((k) => k.kind)).toEqual([
      'reminder_sent', 'reminder_sent', 'reminder_sent', 'reminder_sent', 'dunning_litigation', 'payment_received', 'dunning_paid',
    ]);
  });

  it("sends over 90 days exactly what the invoice page forecast on day one, for a late invoice and one not yet due", async () => {
    const taskQueue = `q${++taskQueueSeq}`;
    const customerId = await makeCustomer(sql);
    const today = await serverToday();
    // A late invoice (catching up from the first step) and one not yet due.
    const invoices = [await makeInvoice(sql, customerId, { dueDate: addDays(today, -LATE_FOR[2]) }), await makeInvoice(sql, customerId, { dueDate: await upcomingSaturday(5) })];
    const worker = await newWorker(createOutboxMailer(sql), taskQueue);
    const forecastOf = async (id: number) => {
      const loaded = (await loadDunningFacts(sql, [id])).get(id)!;
      return forecast(loaded.facts, instantAt(today, 6, 'Europe/Paris')).map((s) => [s.level, s.sendDate]);
    };
    const forecasts = await Promise.all(invoices.map((i) => forecastOf(i.id)));
    await worker.runUntil(async () => {
      const handles = await Promise.all(invoices.map((i) => startDunning(i, taskQueue)));
      for (let day = 0; day < 90; day += 5) await env.sleep('5 days');
      for (const handle of handles) await handle.terminate('test done');
    });
    for (const [i, invoice] of invoices.entries()) {
      const sent = (await sentReminders(invoice.id)).map((r) => [r.level, localDate(r.sentAt.getTime(), 'Europe/Paris')]);
      expect(sent, invoice.number).toEqual(forecasts[i]!.filter(([, date]) => (date as string) <= addDays(today, 90)));
    }
  });

  it('starts an invoice entering six weeks late with the first reminder, then each next step its delay after the one before', async () => {
    const taskQueue = `q${++taskQueueSeq}`;
    const customerId = await makeCustomer(sql);
    const today = await serverToday();
    const invoice = await makeInvoice(sql, customerId, { dueDate: addDays(today, -LATE_FOR[3]) });
    const worker = await newWorker(createOutboxMailer(sql), taskQueue);
    await worker.runUntil(async () => {
      const handle = await startDunning(invoice, taskQueue);
      await env.sleep('1 hour');
      const rows = await sentReminders(invoice.id);
      expect(rows.map((r) => r.level)).toEqual([1]);
      const state = await handle.query(stateQuery);
      expect(state).toMatchObject({ level: 1, next: { level: 2 } });
      const sentDay = localDate(rows[0]!.sentAt.getTime(), 'Europe/Paris');
      expect(state.next?.sendDate).toBe(nextBusinessDay(addDays(sentDay, 15)));
      await handle.terminate('test done');
    });
  });

  it('under a policy catching up to the level reached, sends that level alone, and the formal notice first only when the policy says so', async () => {
    const taskQueue = `q${++taskQueueSeq}`;
    const today = await serverToday();
    const outcomes: Record<string, number[]> = {};
    const worker = await newWorker(createOutboxMailer(sql), taskQueue);
    await worker.runUntil(async () => {
      for (const catchUp of ['reached_level', 'reached_level_final'] as const) {
        const policy = await createPolicy(sql, `Catch up ${catchUp} ${taskQueue}`, (await defaultPolicyId(sql))!);
        await setSendingOptions(sql, policy, { statementMode: false, needsApproval: false, catchUp });
        const customerId = await makeCustomer(sql);
        await setCustomerPolicy(sql, customerId, { policyId: policy, excluded: false, isBusiness: true });
        // Far past every step's date: the formal notice's date has passed too.
        for (const [name, late] of [['six weeks', LATE_FOR[3]], ['four months', 120]] as const) {
          const invoice = await makeInvoice(sql, customerId, { dueDate: addDays(today, -late) });
          const handle = await startDunning(invoice, taskQueue);
          await waitFor(async () => (await handle.query(stateQuery)).level > 0);
          outcomes[`${catchUp} ${name}`] = (await sentReminders(invoice.id)).map((r) => r.level);
          await handle.terminate('test done');
        }
      }
    });
    expect(outcomes).toEqual({
      'reached_level six weeks': [3], 'reached_level four months': [3], 'reached_level_final six weeks': [3], 'reached_level_final four months': [4],
    });
  });

  it('stops dunning when a payment covers the balance mid-way', async () => {
    const taskQueue = `q${++taskQueueSeq}`;
    const customerId = await makeCustomer(sql);
    const today = await serverToday();
    const invoice = await makeInvoice(sql, customerId, { dueDate: addDays(today, -LATE_FOR[1]), totalCents: 50_000 });
    const worker = await newWorker(createOutboxMailer(sql), taskQueue);
    const result = await worker.runUntil(async () => {
      const handle = await startDunning(invoice, taskQueue);
      await env.sleep('1 hour');
      expect((await sentReminders(invoice.id)).map((r) => r.level)).toEqual([1]);
      const { paymentId } = await recordPayment(sql, {
        invoiceId: invoice.id, amountCents: 50_000, currency: 'EUR', paidOn: today, method: 'transfer', source: 'api', externalId: `pay-${invoice.id}`, actor: 'test',
      });
      await handle.signal(paymentRecordedSignal, { paymentId });
      return handle.result();
    });
    expect(result.status).toBe('paid');
    expect((await sentReminders(invoice.id)).map((r) => r.level)).toEqual([1]);
  });

  it('holds while paused, resumes the schedule, and sends a level on demand', async () => {
    const taskQueue = `q${++taskQueueSeq}`;
    const customerId = await makeCustomer(sql);
    const invoice = await makeInvoice(sql, customerId, { dueDate: await upcomingSaturday(20), totalCents: 80_000 });
    const worker = await newWorker(createOutboxMailer(sql), taskQueue);
    await worker.runUntil(async () => {
      const handle = await startDunning(invoice, taskQueue);
      const paused = await handle.executeUpdate(pauseUpdate, { args: [{ reason: 'Disputed delivery', actor: 'alice' }] });
      expect(paused).toMatchObject({ status: 'held', hold: 'paused', next: null });
      expect(await updateRefusal(handle.executeUpdate(pauseUpdate, { args: [{ reason: '  ', actor: 'alice' }] }))).toMatch(/reason is required/);
      await env.sleep('5 days');

      const resumed = await handle.executeUpdate(resumeUpdate, { args: [{ actor: 'alice' }] });
      expect(resumed).toMatchObject({ status: 'scheduled', level: 0, hold: null, next: { level: 1 } });
      const sent = await handle.executeUpdate(sendNowUpdate, { args: [{ actor: 'alice', note: 'Courtesy call made' }] });
      expect(sent).toMatchObject({ status: 'sent', level: 1 });
      expect(await updateRefusal(handle.executeUpdate(sendNowUpdate, { args: [{ actor: 'alice', level: 1 }] }))).toMatch(/already performed/);
      const after = await handle.query(stateQuery);
      expect(after.next?.level).toBe(2);
      await recordHistory(handle, 'invoice-dunning-send-now');
      await handle.terminate('test done');
    });
    const rows = await sql<{ level: number; performedBy: string; note: string }[]>`
      select level, performed_by as "performedBy", note from reminders where invoice_id = ${invoice.id}`;
    expect(rows).toEqual([{ level: 1, performedBy: 'alice', note: 'Courtesy call made' }]);
    const events = await sql<{ kind: string; actor: string }[]>`
      select kind, actor from follow_up_events where invoice_id = ${invoice.id} order by id`;
    expect(events).toEqual([
      { kind: 'paused', actor: 'alice' },
      { kind: 'resumed', actor: 'alice' },
      { kind: 'reminder_sent', actor: 'alice' },
    ]);
  });

  it('holds while disputed or promised, resumes where it was when the dispute closes or the promised date passes unpaid', async () => {
    const taskQueue = `q${++taskQueueSeq}`;
    const customerId = await makeCustomer(sql);
    const invoice = await makeInvoice(sql, customerId, { dueDate: addDays(await serverToday(), -LATE_FOR[1]), totalCents: 90_000 });
    const kept = await makeInvoice(sql, customerId, { dueDate: addDays(await serverToday(), -LATE_FOR[1]), totalCents: 50_000 });
    const worker = await newWorker(createOutboxMailer(sql), taskQueue);
    await worker.runUntil(async () => {
      const handle = await startDunning(invoice, taskQueue);
      await env.sleep('1 hour');
      expect((await sentReminders(invoice.id)).map((r) => r.level)).toEqual([1]);

      // Disputed for 20 days: level 2, due after 15, is not sent; closing the dispute sends it at once.
      expect(await openDispute(sql, { invoiceId: invoice.id, reason: 'Goods damaged on delivery', owner: 'alice', actor: 'alice' })).toEqual({ ok: true });
      await handle.signal(invoiceChangedSignal);
      await waitFor(async () => (await handle.query(stateQuery)).hold === 'disputed');
      await env.sleep('20 days');
      expect((await sentReminders(invoice.id)).map((r) => r.level)).toEqual([1]);
      await closeDispute(sql, { invoiceId: invoice.id, resolution: 'Credit note refused, goods fine', actor: 'alice' });
      await handle.signal(invoiceChangedSignal);
      await waitFor(async () => (await sentReminders(invoice.id)).length === 2);

      // A promise past the next step's date holds it; unpaid the day after, it is broken and level 3 goes out.
      const promisedOn = addDays(await serverToday(), 25);
      expect(await recordPromise(sql, { invoiceId: invoice.id, amountCents: 30_000, promisedOn, actor: 'bob' })).toEqual({ ok: true });
      await handle.signal(invoiceChangedSignal);
      await waitFor(async () => (await handle.query(stateQuery)).hold === 'promised');
      await env.sleep('20 days');
      expect((await sentReminders(invoice.id)).map((r) => r.level)).toEqual([1, 2]);
      await env.sleep('10 days');
      await waitFor(async () => (await sentReminders(invoice.id)).length === 3);
      expect((await sentReminders(invoice.id))[2]!.sentAt.getTime()).toBeGreaterThanOrEqual(nineInParis(addDays(promisedOn, 1)));
      await handle.terminate('test done');

      // A promise of part of the balance is kept by a payment of that part: nothing goes out that day;
      // the next step counts from it, and its text thanks the customer and claims what is left.
      await recordPromise(sql, { invoiceId: kept.id, amountCents: 20_000, promisedOn: addDays(await serverToday(), 30), actor: 'bob' });
      const other = await startDunning(kept, taskQueue);
      await waitFor(async () => (await other.query(stateQuery)).hold === 'promised');
      const keptOn = await serverToday();
      const { paymentId } = await recordPayment(sql, {
        invoiceId: kept.id, amountCents: 20_000, currency: 'EUR', paidOn: keptOn, method: 'transfer', source: 'api', externalId: `promise-${kept.id}`, actor: 'test',
      });
      await other.signal(paymentRecordedSignal, { paymentId });
      await waitFor(async () => (await other.query(stateQuery)).hold === null);
      await env.sleep('2 hours');
      expect(await sentReminders(kept.id)).toEqual([]);
      expect((await other.query(stateQuery)).next?.sendDate).toBe(nextBusinessDay(addDays(keptOn, 1)));
      await env.sleep('4 days');
      await waitFor(async () => (await sentReminders(kept.id)).length === 1);
      const [thanked] = await sql<{ html: string }[]>`select html from outbox where idempotency_key like ${`relance-${kept.id}-%`}`;
      expect(thanked!.html).toContain('Nous avons bien reçu votre règlement de 200,00');
      expect(thanked!.html).toMatch(/pour un montant de <strong>300,00\s€<\/strong>/);
      await recordHistory(other, 'invoice-dunning-promise-kept');
      await other.terminate('test done');
    });
    const events = async (id: number) => (await sql<{ kind: string }[]>`select kind from follow_up_events where invoice_id = ${id} order by id`).map((e) => e.kind);
    expect(await events(invoice.id)).toEqual([
      'reminder_sent', 'dispute_opened', 'dispute_closed', 'reminder_sent', 'promise_recorded', 'promise_broken', 'reminder_sent',
    ]);
    expect(await events(kept.id)).toEqual(expect.arrayContaining(['promise_recorded', 'payment_received', 'promise_kept']));
  });

  it('in statement mode, sends three invoices of one customer due the same day as one e-mail, each at its own level, each advancing once', async () => {
    const taskQueue = `q${++taskQueueSeq}`;
    const policy = await createPolicy(sql, `Statements ${taskQueue}`, (await defaultPolicyId(sql))!);
    await setSendingOptions(sql, policy, { statementMode: true, needsApproval: false, catchUp: 'reached_level' });
    const customerId = await makeCustomer(sql, { emails: ['compta@groupe.example'] });
    await setCustomerPolicy(sql, customerId, { policyId: policy, excluded: false, isBusiness: true });
    const today = await serverToday();
    // Entering late, each gets the one level it has reached: 3, 2 and 1, all due now.
    const invoices = [
      await makeInvoice(sql, customerId, { number: `ST-${taskQueue}-A`, dueDate: addDays(today, -LATE_FOR[3]), totalCents: 100_000 }),
      await makeInvoice(sql, customerId, { number: `ST-${taskQueue}-B`, dueDate: addDays(today, -LATE_FOR[2]), totalCents: 20_000 }),
      await makeInvoice(sql, customerId, { number: `ST-${taskQueue}-C`, dueDate: addDays(today, -LATE_FOR[1]), totalCents: 3_000 }),
    ];
    const other = await makeInvoice(sql, await makeCustomer(sql), { dueDate: addDays(today, -LATE_FOR[1]), totalCents: 5_000 });
    const worker = await newWorker(createOutboxMailer(sql), taskQueue);
    await worker.runUntil(async () => {
      const handles = await Promise.all([...invoices, other].map((inv) => startDunning(inv, taskQueue)));
      await env.sleep('1 hour');
      for (const handle of handles) await waitFor(async () => (await handle.query(stateQuery)).hold === null);
      expect(await Promise.all(handles.map(async (h) => (await h.query(stateQuery)).level))).toEqual([3, 2, 1, 1]);
      await env.sleep('2 days');
      for (const handle of handles) await handle.terminate('test done');
    });
    const mails = await sql<{ subject: string; html: string; mail_to: string[] }[]>`
      select subject, html, mail_to from outbox where mail_to = ${['compta@groupe.example']}`;
    expect(mails).toHaveLength(1);
    expect(mails[0]!.subject).toBe(`Relevé de vos factures impayées : ${formatMoney(123_000, 'EUR', 'fr').replace(/\s/g, ' ')}`);
    for (const [inv, level] of [[invoices[0]!, 'Relance 3'], [invoices[1]!, 'Relance 2'], [invoices[2]!, 'Relance 1']] as const) {
      expect(mails[0]!.html).toMatch(new RegExp(`<td>${inv.number}</td>.*?<td>${level}</td>`, 's'));
    }
    for (const [inv, level] of [[invoices[0]!, 3], [invoices[1]!, 2], [invoices[2]!, 1]] as const) {
      expect((await sentReminders(inv.id)).map((r) => [r.level, r.status])).toEqual([[level, 'sent']]);
    }
    // The other customer's invoice went out on its own, as before.
    expect((await sentReminders(other.id)).map((r) => r.level)).toEqual([1]);
    expect(await sql`select status from statements where customer_id = ${customerId}`).toEqual([{ status: 'sent' }]);
  });

  it('a statement cancelled while it gathers is not sent: its invoices are paused, shown so, until one is resumed and goes out again', async () => {
    const taskQueue = `q${++taskQueueSeq}`;
    const policy = await createPolicy(sql, `Statements cancelled ${taskQueue}`, (await defaultPolicyId(sql))!);
    await setSendingOptions(sql, policy, { statementMode: true, needsApproval: false, catchUp: 'reached_level' });
    const ref = `C-STOP-${taskQueue}`;
    const customerId = await makeCustomer(sql, { ref, emails: ['stop@groupe.example'] });
    await setCustomerPolicy(sql, customerId, { policyId: policy, excluded: false, isBusiness: true });
    const today = await serverToday();
    const invoices = [
      await makeInvoice(sql, customerId, { number: `SC-${taskQueue}-A`, dueDate: addDays(today, -LATE_FOR[2]), totalCents: 10_000 }),
      await makeInvoice(sql, customerId, { number: `SC-${taskQueue}-B`, dueDate: addDays(today, -LATE_FOR[1]), totalCents: 2_000 }),
    ];
    const app = testApp(sql, env.client, taskQueue);
    const admin = adminBrowser(app, await signIn(app, sql, 'admin'));
    const worker = await newWorker(createOutboxMailer(sql), taskQueue);
    await worker.runUntil(async () => {
      const handles = await Promise.all(invoices.map((inv) => startDunning(inv, taskQueue)));
      // Both joined; the statement waits its quiet minute (the test server's clock stands still meanwhile).
      await vi.waitFor(async () => expect(await sql`select 1 from statement_items i join statements s on s.id = i.statement_id where s.customer_id = ${customerId} and i.outcome = 'pending'`).toHaveLength(2), { timeout: 10_000, interval: 20 });
      const [{ id: statementId }] = await sql<[{ id: number }]>`select id from statements where customer_id = ${customerId}`;
      expect(await admin.get(`/customers/${ref}`)).toContain('data-testid="cancel-statement"');
      expect(await admin.post(`/customers/${ref}/statements/${statementId}/cancel`)).toContain('Statement cancelled: 2 invoices paused until resumed');
      await env.sleep('2 days');
      for (const handle of handles) expect((await handle.query(stateQuery)).hold).toBe('paused');
      expect(await sql`select 1 from outbox where mail_to = ${['stop@groupe.example']}`).toHaveLength(0);
      const page = await admin.get(`/customers/${ref}`);
      expect(page).toMatch(/Cancelled<\/td><td class="num">2<\/td>\s*<td><span class="failed">Cancelled by admin-\w+@relance.test: its invoices are paused until resumed/);
      expect(page).not.toContain('data-testid="cancel-statement"');

      // Resumed, an invoice is chased again: its level goes out in the customer's next statement.
      // Lifted in the database and told by signal, as the admin's resume does in effect: an update here
      // leaves the time-skipping test server hanging at times (temporalio/sdk-java#1903).
      await setInvoicePaused(sql, invoices[1]!.id, false, null);
      await handles[1]!.signal(invoiceChangedSignal);
      await waitFor(async () => (await sentReminders(invoices[1]!.id)).length === 1);
      expect((await handles[0]!.query(stateQuery)).hold).toBe('paused');
      for (const handle of handles) await handle.terminate('test done');
    });
    expect(await sql`select status from statements where customer_id = ${customerId} order by id`).toEqual([{ status: 'cancelled' }, { status: 'sent' }]);
  });

  it('a statement cancelled in Temporal while it gathers pauses its invoices the same way', async () => {
    const taskQueue = `q${++taskQueueSeq}`;
    const policy = await createPolicy(sql, `Statements cancelled in Temporal ${taskQueue}`, (await defaultPolicyId(sql))!);
    await setSendingOptions(sql, policy, { statementMode: true, needsApproval: false, catchUp: 'reached_level' });
    const customerId = await makeCustomer(sql, { emails: ['tstop@groupe.example'] });
    await setCustomerPolicy(sql, customerId, { policyId: policy, excluded: false, isBusiness: true });
    const invoice = await makeInvoice(sql, customerId, { number: `ST-${taskQueue}-T`, dueDate: addDays(await serverToday(), -LATE_FOR[1]), totalCents: 4_000 });
    const worker = await newWorker(createOutboxMailer(sql), taskQueue);
    await worker.runUntil(async () => {
      const handle = await startDunning(invoice, taskQueue);
      await vi.waitFor(async () => expect(await sql`select 1 from statements where customer_id = ${customerId}`).toHaveLength(1), { timeout: 10_000, interval: 20 });
      const [{ id: statementId }] = await sql<[{ id: number }]>`select id from statements where customer_id = ${customerId}`;
      const statement = env.client.workflow.getHandle(statementWorkflowId(statementId));
      await statement.cancel();
      await waitFor(async () => (await handle.query(stateQuery)).hold === 'paused');
      expect((await statement.describe()).status.name).toBe('CANCELLED');
      await recordHistory(statement, 'customer-statement-cancelled');
      await handle.terminate('test done');
    });
    expect(await sql`select status, cancelled_by as "cancelledBy" from statements where customer_id = ${customerId}`).toEqual([{ status: 'cancelled', cancelledBy: 'operator (Temporal)' }]);
    expect(await sql`select pause_reason as "pauseReason" from invoices where id = ${invoice.id}`).toEqual([{ pauseReason: expect.stringMatching(/^statement #\d+ cancelled by operator \(Temporal\)$/) }]);
    expect(await sql`select 1 from outbox where mail_to = ${['tstop@groupe.example']}`).toHaveLength(0);
  });

  it('in statement mode by post, prepares one letter (cover, then each stamped copy) whose printing counts for every invoice', async () => {
    const taskQueue = `q${++taskQueueSeq}`;
    const policy = await createPolicy(sql, `Statements by post ${taskQueue}`, (await defaultPolicyId(sql))!);
    await setSendingOptions(sql, policy, { statementMode: true, needsApproval: false, catchUp: 'reached_level' });
    for (const step of await stepsOfPolicy(sql, policy)) await updateStep(sql, step.id, { ...step, channel: 'letter' });
    const customerId = await makeCustomer(sql, { emails: [] });
    await setCustomerPolicy(sql, customerId, { policyId: policy, excluded: false, isBusiness: true });
    const today = await serverToday();
    const older = await makeInvoice(sql, customerId, { number: `SP-${taskQueue}-A`, dueDate: addDays(today, -LATE_FOR[2]), totalCents: 40_000 });
    const newer = await makeInvoice(sql, customerId, { number: `SP-${taskQueue}-B`, dueDate: addDays(today, -LATE_FOR[1]), totalCents: 8_000 });
    const worker = await newWorker(createOutboxMailer(sql), taskQueue);
    await worker.runUntil(async () => {
      const handles = await Promise.all([older, newer].map((inv) => startDunning(inv, taskQueue)));
      await env.sleep('1 hour');
      for (const handle of handles) await waitFor(async () => (await handle.query(stateQuery)).hold === 'letter_to_print');
      for (const handle of handles) await handle.terminate('test done');
    });
    const reminders = await sql<{ invoiceId: number; level: number; status: string; statementId: number }[]>`
      select invoice_id as "invoiceId", level, status, statement_id as "statementId" from reminders where invoice_id in (${older.id}, ${newer.id}) order by invoice_id`;
    expect(reminders.map((r) => [r.level, r.status])).toEqual([[2, 'prepared'], [1, 'prepared']]);
    expect(reminders[0]!.statementId).toBe(reminders[1]!.statementId);
    const letters = await lettersOfInvoice(sql, newer.id);
    expect(letters).toHaveLength(1);
    const doc = (await documentById(sql, letters[0]!.id))!;
    const pages = await pdfPages(doc.content);
    expect(pages).toHaveLength(3);
    expect(pages[0]).toMatch(new RegExp(`${older.number}.*${newer.number}`, 's'));
    expect(pages[1]).toContain(older.number);
    expect(pages[2]).toContain(newer.number);
    expect((await markLettersPrinted(sql, { reminderId: doc.reminderId! }, 'alice')).sort()).toEqual([older.id, newer.id].sort());
    expect((await sql`select status from reminders where invoice_id in (${older.id}, ${newer.id})`).map((r) => r.status)).toEqual(['sent', 'sent']);
  });

  it('applies edited steps from the next step on once told, without touching what was sent', async () => {
    const taskQueue = `q${++taskQueueSeq}`;
    const customerId = await makeCustomer(sql);
    const invoice = await makeInvoice(sql, customerId, { dueDate: addDays(await serverToday(), -LATE_FOR[1]) });
    const worker = await newWorker(createOutboxMailer(sql), taskQueue);
    // Edit a copy of the default policy, so other tests keep the standard steps.
    const [{ policyId }] = await sql<[{ policyId: number }]>`
      with p as (insert into policies (name) values (${`edited-${invoice.id}`}) returning id),
           s as (insert into follow_up_steps (policy_id, position, name, delay_days, is_final)
                 select (select id from p), position, name, delay_days, is_final from follow_up_steps
                 where policy_id = (select id from policies where is_default) returning id)
      select id as "policyId" from p`;
    await sql`insert into templates (step_id, channel, language, subject, body)
      select n.id, t.channel, t.language, t.subject, t.body from templates t
      join follow_up_steps o on o.id = t.step_id join follow_up_steps n on n.position = o.position and n.policy_id = ${policyId}
      where o.policy_id = (select id from policies where is_default)`;
    await sql`update customers set policy_id = ${policyId} where id = ${customerId}`;
    await worker.runUntil(async () => {
      const handle = await startDunning(invoice, taskQueue);
      await waitFor(async () => (await handle.query(stateQuery)).level === 1);
      const before = await handle.query(stateQuery);
      expect(before.next?.sendDate).toBe(nextBusinessDay(addDays(before.lastDate!, 15)));

      await sql`update follow_up_steps set delay_days = 5, name = 'Relance 2 (courte)' where policy_id = ${policyId} and position = 2`;
      await handle.signal(stepsChangedSignal);
      await waitFor(async () => (await handle.query(stateQuery)).next?.name === 'Relance 2 (courte)');
      const after = await handle.query(stateQuery);
      expect(after).toMatchObject({ level: 1, lastDate: before.lastDate, next: { level: 2, sendDate: nextBusinessDay(addDays(before.lastDate!, 5)) } });
      await handle.terminate('test done');
    });
    expect((await sentReminders(invoice.id)).map((r) => r.level)).toEqual([1]);
  });

  it('retries a provider 500 and 429 without sending a second e-mail, and records a rejected recipient as a visible failure', async () => {
    const resend = await startResendServer();
    try {
      const taskQueue = `q${++taskQueueSeq}`;
      const mailer = createResendMailer({ apiKey: resend.apiKey, baseUrl: resend.baseUrl });
      const today = await serverToday();
      const okCustomer = await makeCustomer(sql, { emails: ['ap@ok.example'] });
      const badCustomer = await makeCustomer(sql, { emails: ['nobody@bounce.example'] });
      const noMail = await makeCustomer(sql, { emails: [] });
      const ok = await makeInvoice(sql, okCustomer, { dueDate: addDays(today, -LATE_FOR[1]) });
      const bad = await makeInvoice(sql, badCustomer, { dueDate: addDays(today, -LATE_FOR[1]) });
      const none = await makeInvoice(sql, noMail, { dueDate: addDays(today, -LATE_FOR[1]) });
      resend.rejectRecipient('nobody@bounce.example');
      resend.failNext(500, 429);
      const worker = await newWorker(mailer, taskQueue);
      await worker.runUntil(async () => {
        await startDunning(ok, taskQueue);
        await waitFor(async () => (await sentReminders(ok.id)).some((r) => r.status === 'sent'));
        await startDunning(bad, taskQueue);
        await startDunning(none, taskQueue);
        await waitFor(async () => (await failedReasons(bad.id)).length > 0 && (await failedReasons(none.id)).length > 0);
        const badState = await env.client.workflow.getHandle(dunningWorkflowId(bad.id)).query(stateQuery);
        expect(badState.status).toBe('blocked');
      });
      const okRequests = resend.requests.filter((r) => r.idempotencyKey === `relance-${ok.id}-1-1`);
      expect(okRequests.map((r) => r.status)).toEqual([500, 429, 200]);
      expect([...resend.delivered.keys()].filter((k) => k.startsWith(`relance-${ok.id}-`))).toHaveLength(1);
      expect(okRequests[2]!.body).toMatchObject({ to: ['ap@ok.example'], from: 'Relance <relance@test.example>', subject: expect.stringContaining(ok.number) });
      expect(okRequests[2]!.authorization).toBe(`Bearer ${resend.apiKey}`);
      expect(await failedReasons(bad.id)).toEqual([expect.stringContaining('422')]);
      expect(resend.requests.filter((r) => r.idempotencyKey?.startsWith(`relance-${bad.id}-`))).toHaveLength(1);
      expect(await failedReasons(none.id)).toEqual(['no e-mail address for this customer']);
    } finally {
      await resend.close();
    }
  });

  it('never sends twice when the worker dies after the e-mail left but before it was recorded', async () => {
    const resend = await startResendServer();
    try {
      const taskQueue = `q${++taskQueueSeq}`;
      const real = createResendMailer({ apiKey: resend.apiKey, baseUrl: resend.baseUrl });
      let crashes = 0;
      // The message reaches the provider, then the process "dies" before the database hears of it.
      const crashingOnce: Mailer = {
        kind: real.kind,
        async send(email) {
          const sent = await real.send(email);
          if (crashes++ === 0) throw new Error('worker lost after sending');
          return sent;
        },
      };
      const customerId = await makeCustomer(sql, { emails: ['ap@crash.example'] });
      const invoice = await makeInvoice(sql, customerId, { dueDate: addDays(await serverToday(), -LATE_FOR[1]) });
      const worker = await newWorker(crashingOnce, taskQueue);
      await worker.runUntil(async () => {
        const handle = await startDunning(invoice, taskQueue);
        await waitFor(async () => (await sentReminders(invoice.id)).some((r) => r.status === 'sent'));
        await handle.terminate('test done');
      });
      const attempts = resend.requests.filter((r) => r.idempotencyKey === `relance-${invoice.id}-1-1`);
      expect(attempts).toHaveLength(2);
      expect([...resend.delivered.keys()].filter((k) => k.startsWith(`relance-${invoice.id}-`))).toEqual([`relance-${invoice.id}-1-1`]);
      expect((await sentReminders(invoice.id)).map((r) => r.level)).toEqual([1]);
    } finally {
      await resend.close();
    }
  });
});

async function failedReasons(invoiceId: number): Promise<string[]> {
  const rows = await sql<{ reason: string }[]>`
    select failure_reason as reason from reminders where invoice_id = ${invoiceId} and status = 'failed'`;
  return rows.map((r) => r.reason);
}

/** Lets time skip in small steps until the condition holds (a Temporal sleep, not a wall-clock one). */
async function waitFor(check: () => Promise<boolean>): Promise<void> {
  for (let i = 0; i < 120; i++) {
    if (await check()) return;
    await env.sleep(i < 20 ? '1 minute' : '1 day');
  }
  throw new Error('condition not reached');
}
