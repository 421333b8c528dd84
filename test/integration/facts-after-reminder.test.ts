import { afterAll, beforeAll, expect, it } from 'vitest';
import { createReminderActivities } from '../../activities/reminders.js';
import { loadDunningFacts } from '../../db/queries/dunning-facts.js';
import { createOutboxMailer } from '../../services/mail/outbox-mailer.js';
import { addDays } from '../../workflows/schedule/calendar-date.js';
import { localDate } from '../../workflows/schedule/zoned-time.js';
import type { DunningFacts } from '../../workflows/schedule/next-action.js';
import { freshDatabase } from '../helpers/database.js';
import { makeCustomer, makeInvoice } from '../helpers/fixtures.js';
import { testPdfRenderer } from '../helpers/pdf.js';

// A reminder's activity answers with the invoice's facts after it, computed from the facts its
// claim read and what its record wrote, without reading them again: the invoice's workflow plans
// its next step from them. They must be what a read would find, whatever the reminder came to.
const pdf = testPdfRenderer();
let db: Awaited<ReturnType<typeof freshDatabase>>;
let reminders: ReturnType<typeof createReminderActivities>;
const day = 86_400_000;
const today = localDate(Date.now(), 'Europe/Paris');

beforeAll(async () => {
  db = await freshDatabase();
  reminders = createReminderActivities({ sql: db.sql, mailer: createOutboxMailer(db.sql), defaultFrom: 'R <r@test.example>', pdf, publicUrl: 'http://relance.test' });
});
afterAll(async () => {
  await pdf.close();
  await db?.drop();
});

const factsRead = async (invoiceId: number): Promise<DunningFacts> => (await loadDunningFacts(db.sql, [invoiceId])).get(invoiceId)!.facts;

it('after a reminder sent, then one sent after a returned direct debit and a kept promise: the facts a read finds', async () => {
  const invoice = await makeInvoice(db.sql, await makeCustomer(db.sql), { dueDate: addDays(today, -40) });
  const first = await reminders.performReminderThenFacts({ invoiceId: invoice.id, level: 1, actor: 'system', note: null, nextPlannedOn: addDays(today, 3), at: Date.now() - 3 * day });
  expect(first.outcome).toMatchObject({ status: 'sent', level: 1 });
  expect(first.facts).toEqual(await factsRead(invoice.id));
  expect(first.facts!.progress).toMatchObject({ level: 1, nextPlannedOn: addDays(today, 3) });

  // Both came after the first reminder: the next one goes out at once, and counts from the kept promise's day.
  const [run] = await db.sql<{ id: number }[]>`insert into sepa_runs (collection_date, format, message_id, status) values (${addDays(today, -2)}, 'pain.008.001.02', 'MSG-facts', 'sent') returning id`;
  await db.sql`insert into sepa_run_items (run_id, invoice_id, amount_cents, sequence, end_to_end_id, outcome, reason, settled_at)
    values (${run!.id}, ${invoice.id}, 120000, 'OOFF', 'E2E-facts', 'rejected', 'AM04', ${new Date(Date.now() - 2 * day)})`;
  await db.sql`insert into payment_promises (invoice_id, amount_cents, promised_on, balance_cents, recorded_by, outcome, settled_at)
    values (${invoice.id}, 1000, ${addDays(today, -1)}, 120000, 'test', 'kept', ${new Date(Date.now() - day)})`;
  const before = await factsRead(invoice.id);
  expect(before.progress.bringForwardTo).not.toBeNull();
  expect(before.progress.restartFrom).not.toBeNull();

  const second = await reminders.answerAsk({ invoiceId: invoice.id, request: { actor: 'Camille', level: 2 }, at: Date.now() });
  expect(second.outcome).toMatchObject({ status: 'sent', level: 2 });
  expect(second.facts).toEqual(await factsRead(invoice.id));
  expect(second.facts.progress).toMatchObject({ level: 2, lastDate: today, bringForwardTo: null, restartFrom: null });
});

it('after a letter kept for printing, and after a reminder that could not be sent: the facts a read finds', async () => {
  const invoice = await makeInvoice(db.sql, await makeCustomer(db.sql), { dueDate: addDays(today, -40) });
  const letter = await reminders.performReminderThenFacts({ invoiceId: invoice.id, level: 1, actor: 'system', note: null, channel: 'letter', at: Date.now() });
  expect(letter.outcome).toMatchObject({ status: 'prepared', level: 1 });
  expect(letter.facts).toEqual(await factsRead(invoice.id));
  expect(letter.facts!.dunnable.letterToPrint).toBe(true);

  const unreachable = await makeInvoice(db.sql, await makeCustomer(db.sql, { emails: [] }), { dueDate: addDays(today, -40) });
  const failed = await reminders.answerAsk({ invoiceId: unreachable.id, request: { actor: 'Camille', level: 1 }, at: Date.now() });
  expect(failed.outcome).toMatchObject({ status: 'failed', reason: 'no e-mail address for this customer' });
  expect(failed.facts).toEqual(await factsRead(unreachable.id));
  expect(failed.facts.progress.level).toBe(0);
});
