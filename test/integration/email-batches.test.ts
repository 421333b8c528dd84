import { afterAll, beforeAll, beforeEach, expect, it } from 'vitest';
import { createBatchingMailer } from '../../services/mail/batching-mailer.js';
import { emailBatch, placeInBatch } from '../../db/queries/email-batches.js';
import type { OutgoingEmail } from '../../db/queries/outbox.js';
import { EmailRejectedError } from '../../services/mail/mailer.js';
import { createResendMailer } from '../../services/mail/resend-mailer.js';
import { createReminderActivities } from '../../activities/reminders.js';
import { addDays } from '../../workflows/schedule/calendar-date.js';
import { localDate } from '../../workflows/schedule/zoned-time.js';
import { ORIGIN } from '../helpers/admin-session.js';
import { freshDatabase } from '../helpers/database.js';
import { makeCustomer, makeInvoice } from '../helpers/fixtures.js';
import { testPdfRenderer } from '../helpers/pdf.js';
import { startResendServer } from '../helpers/resend-server.js';

const pdf = testPdfRenderer();
let db: Awaited<ReturnType<typeof freshDatabase>>;
let resend: Awaited<ReturnType<typeof startResendServer>>;

beforeAll(async () => {
  db = await freshDatabase();
});
beforeEach(async () => {
  await resend?.close();
  resend = await startResendServer();
});
afterAll(async () => {
  await pdf.close();
  await resend?.close();
  await db?.drop();
});

/** A worker's mailer: each call is a fresh process's, sharing only the database. */
const workerMailer = () => createBatchingMailer({ sql: db.sql, provider: createResendMailer({ apiKey: resend.apiKey, baseUrl: resend.baseUrl }) });

const email = (key: string, to = `${key}@batch.example`): OutgoingEmail => ({
  from: 'Relance <r@test.example>', to: [to], subject: `Rappel ${key}`, html: `<p>Facture ${key}</p>`, attachments: [], idempotencyKey: key,
});

it('reminders due together go out in batches of at most 100, each recorded with its own provider id', async () => {
  const today = localDate(Date.now(), 'Europe/Paris');
  const invoices = await Promise.all(Array.from({ length: 150 }, async (_, i) => {
    const customer = await makeCustomer(db.sql, { emails: [`ap${i}@many.example`] });
    return makeInvoice(db.sql, customer, { dueDate: addDays(today, -20) });
  }));
  const reminders = createReminderActivities({ sql: db.sql, mailer: workerMailer(), pdf, defaultFrom: 'R <r@test.example>', publicUrl: ORIGIN });
  const outcomes = await Promise.all(invoices.map((inv) => reminders.performReminder({ invoiceId: inv.id, level: 1, actor: 'system', note: null, at: Date.now() })));

  expect(outcomes.map((o) => o.status)).toEqual(invoices.map(() => 'sent'));
  const sizes = resend.requests.map((r) => (r.path === '/emails/batch' ? (r.body as unknown[]).length : 1));
  expect(sizes.reduce((a, b) => a + b, 0)).toBe(150);
  expect(Math.max(...sizes)).toBeLessThanOrEqual(100);
  // How they group depends on when each finishes rendering; five or more to a request on average.
  expect(resend.requests.length).toBeLessThanOrEqual(30);
  const rows = await db.sql<{ key: string; providerId: string; recipients: string[] }[]>`
    select idempotency_key as key, provider_message_id as "providerId", recipients from reminders where invoice_id = any(${invoices.map((i) => i.id)}::bigint[])`;
  expect(rows).toHaveLength(150);
  for (const row of rows) {
    const got = resend.delivered.get(row.key);
    expect(got?.id).toBe(row.providerId);
    expect(got?.body.to).toEqual(row.recipients);
  }
  expect(resend.resent).toEqual([]);
});

it('a batch whose answer was lost goes again exactly as it was, from another worker, and nobody receives it twice', async () => {
  resend.loseNextReplies(1);
  const first = workerMailer();
  const keys = ['lost-1', 'lost-2', 'lost-3'];
  const lost = await Promise.allSettled(keys.map((k) => first.send(email(k))));
  expect(lost.every((r) => r.status === 'rejected')).toBe(true);
  expect(resend.delivered.size).toBe(3);

  // The retry re-renders (here, a changed subject): the batch already written wins, byte for byte.
  const second = workerMailer();
  const retried = await Promise.all(keys.map((k) => second.send({ ...email(k), subject: 'changed since' })));
  expect(retried.map((r) => r.providerMessageId)).toEqual(keys.map((k) => resend.delivered.get(k)!.id));
  const batches = resend.requests.filter((r) => r.path === '/emails/batch');
  expect(batches).toHaveLength(2);
  expect(batches[1]!.idempotencyKey).toBe(batches[0]!.idempotencyKey);
  expect(batches[1]!.body).toEqual(batches[0]!.body);
  expect(resend.resent).toEqual([]);
  expect([...resend.delivered.values()].map((d) => d.body.subject)).toEqual(keys.map((k) => `Rappel ${k}`));

  // Once recorded, a late duplicate is answered from the database without asking Resend.
  const asked = resend.requests.length;
  expect((await workerMailer().send(email('lost-2'))).providerMessageId).toBe(resend.delivered.get('lost-2')!.id);
  expect(resend.requests.length).toBe(asked);
});

it('a batch answered 429 is sent again whole, once the provider lets it through', async () => {
  resend.failNext(429, 503);
  const mailer = workerMailer();
  const keys = ['busy-1', 'busy-2'];
  for (let attempt = 0; attempt < 2; attempt++) {
    const failed = await Promise.allSettled(keys.map((k) => mailer.send(email(k))));
    expect(failed.map((r) => r.status)).toEqual(['rejected', 'rejected']);
  }
  const sent = await Promise.all(keys.map((k) => mailer.send(email(k))));
  expect(sent.map((s) => s.providerMessageId)).toEqual(keys.map((k) => resend.delivered.get(k)!.id));
  expect(resend.requests.map((r) => r.status)).toEqual([429, 503, 200]);
  expect(new Set(resend.requests.map((r) => r.idempotencyKey)).size).toBe(1);
});

it('a batch refused for one bad address still sends the others, one by one, and names the bad one', async () => {
  resend.rejectRecipient('nobody@bounce.example');
  const mailer = workerMailer();
  const results = await Promise.allSettled([email('ok-1'), email('bad', 'nobody@bounce.example'), email('ok-2')].map((e) => mailer.send(e)));

  expect(results.map((r) => r.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
  const refusal = (results[1] as PromiseRejectedResult).reason;
  expect(refusal).toBeInstanceOf(EmailRejectedError);
  expect(refusal.message).toContain('nobody@bounce.example');
  expect(resend.requests.map((r) => [r.path, r.status])).toEqual(expect.arrayContaining([['/emails/batch', 422], ['/emails', 422], ['/emails', 200], ['/emails', 200]]));
  expect([...resend.delivered.keys()].sort()).toEqual(['ok-1', 'ok-2']);
  // Tried again later, the refused one is refused again without sending the others a second time.
  await expect(mailer.send(email('bad', 'nobody@bounce.example'))).rejects.toThrow(/nobody@bounce\.example/);
  expect(resend.resent).toEqual([]);
});

it('an e-mail with the invoice attached goes alone, since batches carry no attachments; a lone e-mail keeps its own key', async () => {
  const mailer = workerMailer();
  const attached = { ...email('with-pdf'), attachments: [{ filename: 'F-1.pdf', content: new Uint8Array([37, 80, 68, 70]) }] };
  await Promise.all([mailer.send(attached), mailer.send(email('plain-1')), mailer.send(email('plain-2'))]);
  await mailer.send(email('alone'));

  const byPath = resend.requests.map((r) => [r.path, r.idempotencyKey?.startsWith('relance-batch-') ? 'batch key' : r.idempotencyKey]);
  expect(byPath).toEqual(expect.arrayContaining([['/emails', 'with-pdf'], ['/emails/batch', 'batch key'], ['/emails', 'alone']]));
  expect(resend.requests).toHaveLength(3);
  expect(resend.delivered.get('with-pdf')!.body.attachments).toHaveLength(1);
});

it('an e-mail with the invoice attached whose answer was lost goes again with the very PDF it first carried', async () => {
  const pdfOf = (text: string) => [{ filename: 'F-9.pdf', content: new TextEncoder().encode(`%PDF-1.4 ${text}`) }];
  resend.loseNextReplies(1);
  await expect(workerMailer().send({ ...email('pdf-lost'), attachments: pdfOf('rendered at 09:00:01') })).rejects.toThrow();

  // Rendered again on the retry, the PDF carries another creation time: the written one goes.
  const { providerMessageId } = await workerMailer().send({ ...email('pdf-lost'), attachments: pdfOf('rendered at 09:00:07') });
  expect(providerMessageId).toBe(resend.delivered.get('pdf-lost')!.id);
  expect(resend.requests.map((r) => [r.path, r.idempotencyKey, r.status])).toEqual([['/emails', 'pdf-lost', 200], ['/emails', 'pdf-lost', 200]]);
  expect(resend.requests[1]!.body).toEqual(resend.requests[0]!.body);
  expect(Buffer.from(resend.delivered.get('pdf-lost')!.body.attachments![0]!.content, 'base64').toString()).toBe('%PDF-1.4 rendered at 09:00:01');
  expect(resend.resent).toEqual([]);
});

it('keeps a sent batch 30 days, long past Resend\'s own day, then prunes it as new batches are written', async () => {
  const mailer = workerMailer();
  await Promise.all(['old-1', 'old-2'].map((k) => mailer.send(email(k))));
  await Promise.all(['recent-1', 'recent-2'].map((k) => mailer.send(email(k))));
  const batchOf = async (key: string) => (await db.sql<{ batchId: number }[]>`select batch_id as "batchId" from email_batch_members where idempotency_key = ${key}`)[0]?.batchId;
  const [old, recent] = [await batchOf('old-1'), await batchOf('recent-1')];
  await db.sql`update email_batches set sent_at = now() - interval '31 days' where id = ${old!}`;
  await db.sql`update email_batches set sent_at = now() - interval '29 days' where id = ${recent!}`;

  await mailer.send(email('next'));
  expect(await batchOf('old-1')).toBeUndefined();
  expect((await db.sql`select id from email_batches where id = ${old!}`)).toHaveLength(0);
  expect(await batchOf('recent-1')).toBe(recent);
});

it('a retry of an e-mail from a batch sent over 30 days ago gets its provider id back and is not sent again', async () => {
  const [first] = await Promise.all(['late-1', 'late-2'].map((k) => workerMailer().send(email(k))));
  await db.sql`update email_batches set sent_at = now() - interval '31 days' where id = (select batch_id from email_batch_members where idempotency_key = 'late-1')`;
  const before = resend.requests.length;

  expect(await workerMailer().send(email('late-1'))).toEqual(first);
  expect(resend.requests.length).toBe(before);
});

it('the same e-mails placed by several workers at once land in one batch, go out once, and leave no empty batch behind', async () => {
  // Who wins the race differs from run to run: a few rounds make the losing side's paths run.
  for (const round of [1, 2, 3]) {
    const keys = Array.from({ length: 5 }, (_, i) => `race-${round}-${i}`);
    const placements = await Promise.all(Array.from({ length: 12 }, () => placeInBatch(db.sql, keys.map((k) => ({ idempotencyKey: k, message: { from: 'R <r@test.example>', to: [`${k}@x.example`], subject: k, html: k } })))));
    const [batch] = new Set(placements.flatMap((p) => keys.map((k) => p.batches.get(k))));
    for (const placed of placements) expect(keys.map((k) => placed.batches.get(k))).toEqual(keys.map(() => batch));
    // The winner sends the batch it made as it was written, without reading it back.
    const made = placements.flatMap((p) => (p.fresh ? [p.fresh] : []));
    expect(made).toEqual([await emailBatch(db.sql, batch!)]);
  }
  expect(await db.sql`select b.id from email_batches b where not exists (select 1 from email_batch_members m where m.batch_id = b.id)`).toEqual([]);

  const mailer = workerMailer();
  await Promise.all(['race-1-0', 'race-1-1'].map((k) => mailer.send(email(k))));
  expect(resend.requests.map((r) => r.path)).toEqual(['/emails/batch']);
  expect([...resend.delivered.keys()].sort()).toEqual(['race-1-0', 'race-1-1', 'race-1-2', 'race-1-3', 'race-1-4']);
});
