import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { Webhook } from 'standardwebhooks';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createResendMailer } from '../../services/mail/resend-mailer.js';
import { createReminderActivities } from '../../activities/reminders.js';
import { addDays } from '../../workflows/schedule/calendar-date.js';
import { localDate } from '../../workflows/schedule/zoned-time.js';
import { testApp } from '../helpers/stack.js';
import { ORIGIN, signIn } from '../helpers/admin-session.js';
import { freshDatabase } from '../helpers/database.js';
import { makeCustomer, makeInvoice } from '../helpers/fixtures.js';
import { testPdfRenderer } from '../helpers/pdf.js';
import { startResendServer } from '../helpers/resend-server.js';
import { timeSkippingEnvironment } from '../helpers/temporal.js';

const SECRET = `whsec_${Buffer.from('a test signing secret of 32 bytes!').toString('base64')}`;
const pdf = testPdfRenderer();
let env: TestWorkflowEnvironment;
let db: Awaited<ReturnType<typeof freshDatabase>>;
let resend: Awaited<ReturnType<typeof startResendServer>>;
let app: ReturnType<typeof testApp>;
let messageId: string;

beforeAll(async () => {
  [env, db, resend] = await Promise.all([timeSkippingEnvironment(), freshDatabase(), startResendServer()]);
  app = testApp(db.sql, env.client, 'hooks', { resendWebhookSecret: SECRET });
  const customer = await makeCustomer(db.sql, { name: 'Garage Bounce' });
  const invoice = await makeInvoice(db.sql, customer, { number: 'F-HOOK', dueDate: addDays(localDate(Date.now(), 'Europe/Paris'), -20) });
  const reminders = createReminderActivities({ sql: db.sql, mailer: createResendMailer({ apiKey: resend.apiKey, baseUrl: resend.baseUrl }), pdf, defaultFrom: 'R <r@test.example>', publicUrl: ORIGIN });
  expect(await reminders.performReminder({ invoiceId: invoice.id, level: 1, actor: 'system', note: null, at: Date.now() })).toMatchObject({ status: 'sent' });
  messageId = [...resend.delivered.values()][0]!.id;
});
afterAll(async () => {
  await pdf.close();
  await resend?.close();
  await env?.teardown();
  await db?.drop();
});

/** A webhook delivery exactly as Resend (through Svix) signs it. */
function deliver(type: string, id: string, extra: object = {}, createdAt = new Date(), secret = SECRET) {
  const payload = JSON.stringify({ type, created_at: createdAt.toISOString(), data: { email_id: messageId, to: ['compta@dupont.example'], ...extra } });
  const timestamp = new Date();
  const signature = new Webhook(secret).sign(id, timestamp, payload);
  return app.request('/webhooks/resend', {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'svix-id': id, 'svix-timestamp': String(Math.floor(timestamp.getTime() / 1000)), 'svix-signature': signature },
    body: payload,
  });
}
const delivery = async () => (await db.sql`select delivery_status, delivery_detail from reminders`)[0];

it('refuses a delivery whose signature does not match, and records nothing', async () => {
  const forged = await deliver('email.bounced', 'msg_forged', {}, new Date(), `whsec_${Buffer.from('another secret entirely, 32 byte').toString('base64')}`);
  expect(forged.status).toBe(401);
  expect(await delivery()).toEqual({ delivery_status: null, delivery_detail: null });
});

it('records a bounce once on the reminder, its timeline, the outbox and the mass follow-up', async () => {
  const bounced = await deliver('email.bounced', 'msg_1', { bounce: { type: 'Permanent', message: 'Mailbox does not exist' } });
  expect(await bounced.json()).toEqual({ ok: true, recorded: true, duplicate: false });
  expect(await (await deliver('email.bounced', 'msg_1', { bounce: { type: 'Permanent', message: 'Mailbox does not exist' } })).json()).toMatchObject({ duplicate: true });
  expect(await delivery()).toEqual({ delivery_status: 'bounced', delivery_detail: 'Mailbox does not exist' });
  expect((await db.sql`select count(*)::int as n from follow_up_events where kind = 'email_bounced'`)[0]!.n).toBe(1);

  // A "delivered" report older than the bounce changes nothing.
  await deliver('email.delivered', 'msg_0', {}, new Date(Date.now() - 60_000));
  expect((await delivery())!.delivery_status).toBe('bounced');

  const { cookie } = await signIn(app, db.sql);
  const followUp = await (await app.request('/invoices', { headers: { cookie } })).text();
  expect(followUp).toContain('⚠ Rejeté par le serveur du destinataire');
  const outbox = await (await app.request('/outbox', { headers: { cookie } })).text();
  expect(outbox).toContain('Rejeté par le serveur du destinataire · Mailbox does not exist');
  const invoice = await (await app.request('/invoices/F-HOOK', { headers: { cookie } })).text();
  expect(invoice).toContain('Relance 1 : e-mail rejeté par le serveur du destinataire (Mailbox does not exist)');
});

it('acknowledges the events it does not track', async () => {
  expect(await (await deliver('email.opened', 'msg_2')).json()).toEqual({ ok: true, ignored: 'email.opened' });
});
