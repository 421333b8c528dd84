import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createReminderActivities } from '../../activities/reminders.js';
import { createDunningActivities } from '../../activities/dunning.js';
import { createConfigurationCache, type ConfigurationCache } from '../../db/configuration-cache.js';
import { saveTemplate } from '../../db/queries/templates.js';
import { defaultPolicyId, stepsOfPolicy } from '../../db/queries/steps.js';
import { createOutboxMailer } from '../../services/mail/outbox-mailer.js';
import { addDays } from '../../workflows/schedule/calendar-date.js';
import { localDate } from '../../workflows/schedule/zoned-time.js';
import { freshDatabase } from '../helpers/database.js';
import { makeCustomer, makeInvoice } from '../helpers/fixtures.js';
import { testPdfRenderer } from '../helpers/pdf.js';

// A worker keeps the settings, steps and templates it read across reminders: every change to them,
// whoever writes it, reaches the next reminder, and nothing else makes it read them again.
const pdf = testPdfRenderer();
let db: Awaited<ReturnType<typeof freshDatabase>>;
let configuration: ConfigurationCache;
let reminders: ReturnType<typeof createReminderActivities>;
let dunning: ReturnType<typeof createDunningActivities>;
let firstStepId: number;
const today = localDate(Date.now(), 'Europe/Paris');

beforeAll(async () => {
  db = await freshDatabase();
  configuration = createConfigurationCache(db.sql);
  reminders = createReminderActivities({ sql: db.sql, mailer: createOutboxMailer(db.sql), defaultFrom: 'R <r@test.example>', pdf, publicUrl: 'http://relance.test', configuration });
  dunning = createDunningActivities({ sql: db.sql, configuration });
  firstStepId = (await stepsOfPolicy(db.sql, (await defaultPolicyId(db.sql))!))[0]!.id;
});
afterAll(async () => {
  await pdf.close();
  await db?.drop();
});

/** Sends the first reminder of a new overdue invoice through the worker's activities; its e-mail as the provider got it. */
async function firstReminder(): Promise<{ subject: string; html: string }> {
  const invoice = await makeInvoice(db.sql, await makeCustomer(db.sql), { dueDate: addDays(today, -20) });
  expect(await reminders.performReminder({ invoiceId: invoice.id, level: 1, actor: 'system', note: null, at: Date.now() })).toMatchObject({ status: 'sent' });
  const [mail] = await db.sql<{ subject: string; html: string }[]>`select subject, html from outbox where subject like ${`%${invoice.number}%`}`;
  return mail!;
}

describe('the configuration a worker keeps', () => {
  it('is read again after a template is saved, before the next reminder', async () => {
    await saveTemplate(db.sql, { stepId: firstStepId, purpose: 'reminder', channel: 'email', language: 'fr' }, { subject: 'Premier rappel {{invoice.number}}', body: '<p>{{amountDue}}</p>' });
    expect((await firstReminder()).subject).toMatch(/^Premier rappel F-/);
    await saveTemplate(db.sql, { stepId: firstStepId, purpose: 'reminder', channel: 'email', language: 'fr' }, { subject: 'Rappel amical {{invoice.number}}', body: '<p>{{company.name}}</p>' });
    expect((await firstReminder()).subject).toMatch(/^Rappel amical F-/);
  });

  it('is read again after a statement written by hand changes the settings', async () => {
    await db.sql`update settings set company_name = 'Ancien Nom SAS'`;
    expect((await firstReminder()).html).toContain('Ancien Nom SAS');
    await db.sql`update settings set company_name = 'Nouveau Nom SAS'`;
    const mail = await firstReminder();
    expect(mail.html).toContain('Nouveau Nom SAS');
    expect(mail.html).not.toContain('Ancien Nom SAS');
  });

  it("plans with a step's new delay as soon as it is saved", async () => {
    const invoice = await makeInvoice(db.sql, await makeCustomer(db.sql), { dueDate: addDays(today, 30) });
    const delayOf = async () => (await dunning.loadDunningFacts(invoice.id)).steps[0]!.delayDays;
    const before = await delayOf();
    await db.sql`update follow_up_steps set delay_days = delay_days + 3 where id = ${firstStepId}`;
    expect(await delayOf()).toBe(before + 3);
  });

  it('is reused while nothing it holds changes, whatever else is written', async () => {
    const version = async () => (await db.sql<{ version: number }[]>`select version from configuration_version`)[0]!.version;
    const settingsNow = async () => configuration.at(await version()).settings();
    const first = await settingsNow();
    await makeInvoice(db.sql, await makeCustomer(db.sql), { dueDate: today });
    await firstReminder();
    expect(await settingsNow()).toBe(first);
    await db.sql`update settings set send_hour = send_hour`;
    expect(await settingsNow()).not.toBe(first);
  });
});
