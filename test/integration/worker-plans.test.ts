import { afterAll, beforeAll, expect, it } from 'vitest';
import { createReminderActivities } from '../../activities/reminders.js';
import { createSql, type Sql } from '../../db/client.js';
import { createOutboxMailer } from '../../services/mail/outbox-mailer.js';
import { addDays } from '../../workflows/schedule/calendar-date.js';
import { localDate } from '../../workflows/schedule/zoned-time.js';
import { freshDatabase } from '../helpers/database.js';
import { makeCustomer, makeInvoice } from '../helpers/fixtures.js';
import { testPdfRenderer } from '../helpers/pdf.js';

// The worker lets PostgreSQL keep one generic plan per statement (planning each reminder's reads
// again cost more than running them). Such a plan is made once, blind to the values and maybe to
// the tables' statistics: a reminder must read about as many pages with a hundred reminders in
// the database as with thousands, or a large database chases its invoices ever more slowly.
const pdf = testPdfRenderer();
let db: Awaited<ReturnType<typeof freshDatabase>>;
let workerSql: Sql;
const today = localDate(Date.now(), 'Europe/Paris');

beforeAll(async () => {
  db = await freshDatabase();
  workerSql = createSql(db.url, { genericPlans: true, max: 1 });
  // As in a table just filled: no statistics until autovacuum comes, which it does not here.
  for (const table of ['reminders', 'invoices', 'customers']) await db.sql.unsafe(`alter table ${table} set (autovacuum_enabled = false)`);
});
afterAll(async () => {
  await workerSql?.end({ timeout: 5 });
  await pdf.close();
  await db?.drop();
});

/** Other customers' open invoices, each with its first reminder sent. */
async function addRemindedInvoices(count: number): Promise<void> {
  const prefix = `P${count}-${Date.now()}`;
  await db.sql`insert into customers (ref, name, emails, language)
    select ${prefix} || '-' || g, 'Client ' || g, array['ap' || g || '@plans.example'], 'fr' from generate_series(1, ${count}) g`;
  await db.sql`insert into invoices (number, customer_id, issue_date, due_date, currency, total_cents)
    select ${prefix} || 'F-' || g, (select id from customers where ref = ${prefix} || '-' || g), current_date - 60, current_date - 30, 'EUR', 10000 + g
    from generate_series(1, ${count}) g`;
  await db.sql`insert into reminders (invoice_id, level, step_name, channel, status, sent_at, idempotency_key)
    select i.id, 1, 'Relance 1', 'email', 'sent', now() - interval '1 day', 'plans-' || i.id from invoices i where i.number like ${prefix + 'F-%'}`;
}

/** The pages PostgreSQL read while the worker asked one more invoice for its first reminder, every statement on its generic plan. */
async function pagesForOneReminder(): Promise<number> {
  const invoice = await makeInvoice(db.sql, await makeCustomer(db.sql), { dueDate: addDays(today, -40) });
  return workerSql.begin(async (tx) => {
    await tx`set local plan_cache_mode = force_generic_plan`;
    const pagesSoFar = async () => (await tx<{ pages: number }[]>`
      select coalesce(sum(pg_stat_get_xact_blocks_fetched(oid)), 0)::int as pages from pg_class where relnamespace = 'public'::regnamespace`)[0]!.pages;
    const before = await pagesSoFar();
    const reminders = createReminderActivities({ sql: tx as unknown as Sql, mailer: createOutboxMailer(db.sql), defaultFrom: 'R <r@test.example>', pdf, publicUrl: 'http://relance.test' });
    const { outcome } = await reminders.answerAsk({ invoiceId: invoice.id, request: { actor: 'Camille', level: 1 }, at: Date.now() });
    expect(outcome).toMatchObject({ status: 'sent', level: 1 });
    return (await pagesSoFar()) - before;
  }) as Promise<number>;
}

it('a reminder reads as many pages among thousands of reminders and open invoices as among a hundred', async () => {
  await addRemindedInvoices(100);
  const few = await pagesForOneReminder();
  await addRemindedInvoices(6000);
  const many = await pagesForOneReminder();
  // An index descent is a page or two deeper; a scan of the reminders or invoices would be dozens more.
  expect(many).toBeLessThanOrEqual(few + 12);
});
