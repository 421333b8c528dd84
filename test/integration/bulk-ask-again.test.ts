import { afterAll, beforeAll, expect, it } from 'vitest';
import { createReminderActivities } from '../../activities/reminders.js';
import { createBulkRun } from '../../db/queries/bulk-runs.js';
import type { SendNowRequest } from '../../workflows/messages.js';
import { addDays } from '../../workflows/schedule/calendar-date.js';
import { localDate } from '../../workflows/schedule/zoned-time.js';
import { createResendMailer } from '../../services/mail/resend-mailer.js';
import { ORIGIN } from '../helpers/admin-session.js';
import { freshDatabase } from '../helpers/database.js';
import { makeCustomer, makeInvoice } from '../helpers/fixtures.js';
import { testPdfRenderer } from '../helpers/pdf.js';
import { startResendServer } from '../helpers/resend-server.js';

// A bulk run asks again when its first ask was lost with a crashed worker, possibly after the
// e-mail went out: the ask must get the level that run already performed, never the next one.

const pdf = testPdfRenderer();
let db: Awaited<ReturnType<typeof freshDatabase>>;
let resend: Awaited<ReturnType<typeof startResendServer>>;

beforeAll(async () => {
  [db, resend] = await Promise.all([freshDatabase(), startResendServer()]);
});
afterAll(async () => {
  await pdf.close();
  await resend?.close();
  await db?.drop();
});

const reminders = () => createReminderActivities({
  sql: db.sql, mailer: createResendMailer({ apiKey: resend.apiKey, baseUrl: resend.baseUrl }), pdf, defaultFrom: 'R <r@test.example>', publicUrl: ORIGIN,
});

it('a run asking twice for the same invoice gets its first answer and sends nothing more; another run moves on to the next level', async () => {
  const today = localDate(Date.now(), 'Europe/Paris');
  const customer = await makeCustomer(db.sql, { emails: ['ap@again.example'] });
  const { id: invoiceId } = await makeInvoice(db.sql, customer, { dueDate: addDays(today, -60) });
  const [user] = await db.sql<{ id: number }[]>`insert into users (email, name, role, password_hash) values ('run@again.test', 'Run', 'admin', 'x') returning id`;
  const newRun = () => createBulkRun(db.sql, { userId: user!.id, forcedLevel: null, sendEarly: true, channel: 'email', attachPdf: false, invoiceIds: [invoiceId] });
  const ask = (runId: number): { invoiceId: number; request: SendNowRequest; at: number } => ({
    invoiceId, at: Date.now(), request: { actor: 'Run', runId, userId: user!.id, onlyIfDue: false, oncePerDay: false },
  });

  const first = await newRun();
  const answered = await reminders().answerAsk(ask(first));
  expect(answered.outcome).toMatchObject({ status: 'sent', level: 1 });
  // The same ask again, from another worker: the reminder it already sent, the level unchanged.
  const again = await reminders().answerAsk(ask(first));
  expect(again.outcome).toEqual({ ...answered.outcome });
  expect(again.facts.progress.level).toBe(1);
  expect(resend.delivered.size).toBe(1);

  const second = await newRun();
  expect((await reminders().answerAsk(ask(second))).outcome).toMatchObject({ status: 'sent', level: 2 });
  // Asked again through the e-mail queue's activity, with the level the workflow now expects next.
  const retried = await reminders().performReminder({ invoiceId, level: 3, actor: 'Run', note: null, runId: second, userId: user!.id, at: Date.now() });
  expect(retried).toMatchObject({ status: 'sent', level: 2 });
  expect(resend.delivered.size).toBe(2);
  expect(await db.sql`select level, run_id::int as "runId" from reminders where invoice_id = ${invoiceId} order by level`).toEqual([
    { level: 1, runId: first }, { level: 2, runId: second },
  ]);
});
