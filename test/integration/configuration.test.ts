import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createOutboxMailer } from '../../services/mail/outbox-mailer.js';
import { createReminderActivities } from '../../activities/reminders.js';
import { recentAudit } from '../../db/queries/audit.js';
import { getSettings } from '../../db/queries/settings.js';
import { defaultPolicyId, stepsOfPolicy } from '../../db/queries/steps.js';
import { addDays } from '../../workflows/schedule/calendar-date.js';
import { localDate } from '../../workflows/schedule/zoned-time.js';
import { testApp } from '../helpers/stack.js';
import { followed, ORIGIN, signIn } from '../helpers/admin-session.js';
import { messages } from '../../web/i18n.js';
import { freshDatabase } from '../helpers/database.js';
import { testPdfRenderer } from '../helpers/pdf.js';
import { makeCustomer, makeInvoice } from '../helpers/fixtures.js';
import { timeSkippingEnvironment } from '../helpers/temporal.js';

const pdf = testPdfRenderer();
let env: TestWorkflowEnvironment;
let db: Awaited<ReturnType<typeof freshDatabase>>;
let app: ReturnType<typeof testApp>;
let admin: { cookie: string; csrf: string };
let finance: { cookie: string; csrf: string };
let policyId: number;
const today = localDate(Date.now(), 'Europe/Paris');
const hostileName = '<script>alert(1)</script> SARL';

beforeAll(async () => {
  [env, db] = await Promise.all([timeSkippingEnvironment(), freshDatabase()]);
  app = testApp(db.sql, env.client, 'cfg');
  [admin, finance] = [await signIn(app, db.sql, 'admin'), await signIn(app, db.sql, 'finance')];
  policyId = (await defaultPolicyId(db.sql))!;
  const customer = await makeCustomer(db.sql, { name: hostileName, ref: 'C-HOSTILE' });
  await makeInvoice(db.sql, customer, { number: 'F-CFG', dueDate: addDays(today, -20) });
});
afterAll(async () => {
  await pdf.close();
  await db?.drop();
  await env?.teardown();
});

const get = async (path: string, who = admin) => {
  const res = await app.request(path, { headers: { cookie: `${who.cookie}; relance_lang=en` } });
  return { status: res.status, body: await res.text(), headers: res.headers };
};
const post = async (path: string, fields: Record<string, string>, who = admin, headers: Record<string, string> = {}) => {
  const res = await followed(app, await app.request(path, {
    method: 'POST',
    headers: { cookie: `${who.cookie}; relance_lang=en`, origin: ORIGIN, 'content-type': 'application/x-www-form-urlencoded', ...headers },
    body: new URLSearchParams({ _csrf: who.csrf, ...fields }).toString(),
  }), `${who.cookie}; relance_lang=en`);
  return { status: res.status, body: await res.text(), headers: res.headers };
};
const steps = () => stepsOfPolicy(db.sql, policyId);
const stepFields = (s: Awaited<ReturnType<typeof steps>>[number], changes: Record<string, string> = {}) => ({
  name: s.name, colour: s.colour, delayDays: String(s.delayDays), channel: s.channel, fee: s.feeCents ? (s.feeCents / 100).toFixed(2) : '',
  ...(s.isFinal ? { isFinal: 'on' } : {}), ...changes,
});
const unescape = (s: string) => s.replaceAll('&quot;', '"').replaceAll('&#39;', "'").replaceAll('&amp;', '&');

describe('who may change the configuration', () => {
  const pages = ['/settings', '/settings/users', '/settings/audit', '/settings/policies', `/settings/policies/1`, '/settings/templates/1/email/fr'];

  it('refuses finance users every configuration page and change, and says why', async () => {
    for (const page of pages) {
      const res = await get(page, finance);
      expect(res.status, page).toBe(403);
      expect(res.body).toContain('administrat');
    }
    const [first] = await steps();
    const before = JSON.stringify(await steps());
    for (const [path, fields] of [
      [`/settings/steps/${first!.id}`, stepFields(first!, { delayDays: '99' })],
      [`/settings/steps/${first!.id}/delete`, {}],
      [`/settings/policies/${policyId}/steps`, stepFields(first!, { name: 'Sneaky' })],
      ['/settings', { companyName: 'Pwned' }],
      ['/settings/users', { email: 'x@y.z', name: 'X', role: 'admin', password: 'a very long password' }],
      [`/settings/templates/${first!.id}/email/fr`, { subject: 'x', body: 'y' }],
      ['/customers/C-HOSTILE/policy', { excluded: 'on' }],
    ] as const) {
      expect((await post(path, fields, finance)).status, path).toBe(403);
    }
    expect(JSON.stringify(await steps())).toBe(before);
    expect((await getSettings(db.sql)).companyName).not.toBe('Pwned');
  });

  it('refuses anonymous visitors and cross-site posts', async () => {
    for (const page of [...pages, '/outbox', '/my-templates', '/import']) {
      const res = await app.request(page);
      expect(res.status, page).toBe(302);
      expect(res.headers.get('location')).toBe('/login');
    }
    const [first] = await steps();
    const res = await post(`/settings/steps/${first!.id}`, stepFields(first!, { delayDays: '99' }), admin, { origin: 'https://evil.example' });
    expect(res.status).toBe(403);
    expect((await steps())[0]!.delayDays).toBe(first!.delayDays);
  });
});

describe('steps editor', () => {
  it('changes a delay, shows it in the forecast and writes who changed what to the audit log', async () => {
    const forecastOf = async () => [...(await get('/invoices/F-CFG')).body.matchAll(/<tr class="[^"]*"><td>(\d) · [^<]+<\/td><td>([^<]+)<\/td>/g)].map((m) => m[2]);
    const before = await forecastOf();
    const [, second] = await steps();
    const res = await post(`/settings/steps/${second!.id}`, stepFields(second!, { delayDays: String(second!.delayDays + 30) }), admin, { 'hx-request': 'true' });
    expect(res.status).toBe(200);
    expect((await steps())[1]!.delayDays).toBe(second!.delayDays + 30);
    const after = await forecastOf();
    expect(after[0]).toBe(before[0]);
    expect(after[1]).not.toBe(before[1]);
    const [entry] = await recentAudit(db.sql, 1);
    expect(entry).toMatchObject({ action: 'step.update', userName: 'Test admin', before: { delayDays: second!.delayDays }, after: { delayDays: second!.delayDays + 30 } });
  });

  it('refuses a bad step naming each field, and writes nothing', async () => {
    const before = await steps();
    const res = await post(`/settings/policies/${policyId}/steps`, { name: '', colour: 'red', delayDays: '1000', channel: 'fax', fee: 'abc' });
    expect(res.body).toMatch(/Name: required/);
    expect(res.body).toMatch(/Colour: a colour/);
    expect(res.body).toMatch(/Delay \(days\): at most 365/);
    expect(res.body).toMatch(/Channel: email, letter or both/);
    expect(res.body).toMatch(/Fee: an amount/);
    expect(await steps()).toEqual(before);
  });

  it('adds a courtesy step before the due date, moves it first, and deletes it while unused', async () => {
    const [first] = await steps();
    // A final step ends the policy: nothing may follow it.
    const refused = await post(`/settings/policies/${policyId}/steps`, { name: 'Courtesy', colour: '#2563eb', delayDays: '-5', channel: 'email' });
    expect(unescape(refused.body)).toContain('Final step: "Mise en demeure" is the final step');
    const last = (await steps()).at(-1)!;
    const { isFinal: _, ...notFinal } = stepFields(last);
    await post(`/settings/steps/${last.id}`, notFinal);
    expect((await steps()).at(-1)!.isFinal).toBe(false);

    const added = await post(`/settings/policies/${policyId}/steps`, { name: 'Courtesy', colour: '#2563eb', delayDays: '-5', channel: 'email' });
    expect(added.body).toContain('Courtesy');
    let all = await steps();
    const courtesy = all.at(-1)!;
    for (let i = all.length; i > 1; i--) await post(`/settings/steps/${courtesy.id}/up`, {});
    all = await steps();
    expect(all.map((s) => s.name)[0]).toBe('Courtesy');
    expect(all.map((s) => s.level)).toEqual([1, 2, 3, 4, 5]);
    expect(all[1]!.id).toBe(first!.id);

    await post(`/settings/steps/${courtesy.id}/delete`, {});
    expect((await steps()).map((s) => s.name)).toEqual(['Relance 1', 'Relance 2', 'Relance 3', 'Mise en demeure']);
    expect((await recentAudit(db.sql, 1))[0]).toMatchObject({ action: 'step.delete', before: { name: 'Courtesy' }, after: null });
  });

  it('refuses to delete a step in use, with a message that says why', async () => {
    const invoice = await db.sql<{ id: number }[]>`select id from invoices where number = 'F-CFG'`;
    const reminders = createReminderActivities({ sql: db.sql, mailer: createOutboxMailer(db.sql), defaultFrom: 'R <r@test.example>', pdf, publicUrl: ORIGIN });
    expect(await reminders.performReminder({ invoiceId: invoice[0]!.id, level: 1, actor: 'system', note: null, at: Date.now() })).toMatchObject({ status: 'sent' });
    const [first] = await steps();
    const res = await post(`/settings/steps/${first!.id}/delete`, {});
    expect(unescape(res.body)).toContain('"Relance 1" is in use: 1 reminder sent with it and 1 open invoice at or past it');
    expect((await steps()).length).toBe(4);
  });
});

describe('policies', () => {
  it('creates a policy from the default, gives it to a customer, and refuses to delete it while given', async () => {
    const res = await app.request('/settings/policies', {
      method: 'POST', headers: { cookie: admin.cookie, origin: ORIGIN, 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ _csrf: admin.csrf, name: 'Public sector', copyFrom: String(policyId) }).toString(),
    });
    expect(res.status).toBe(303);
    const created = Number(res.headers.get('location')!.split('/').at(-1));
    expect((await stepsOfPolicy(db.sql, created)).map((s) => s.name)).toEqual((await steps()).map((s) => s.name));

    await post('/customers/C-HOSTILE/policy', { policy: String(created), excluded: 'on' });
    const [customer] = await db.sql`select policy_id, dunning_excluded from customers where ref = 'C-HOSTILE'`;
    expect(customer).toEqual({ policy_id: created, dunning_excluded: true });

    const refused = await post(`/settings/policies/${created}/delete`, {});
    expect(unescape(refused.body)).toContain('"Public sector" is the default policy or is given to 1 customer');
    await post('/customers/C-HOSTILE/policy', { policy: '' });
    await post(`/settings/policies/${created}/delete`, {});
    expect(await db.sql`select name from policies`).toEqual([{ name: 'Standard B2B' }]);
  });
});

describe('template editor', () => {
  it('refuses a template with a syntax error or an unknown field, naming the line, and keeps the stored one', async () => {
    const [first] = await steps();
    const path = `/settings/templates/${first!.id}/email/en`;
    const stored = await db.sql`select subject, body from templates where step_id = ${first!.id} and language = 'en'`;
    const broken = await post(path, { subject: 'Invoice {{invoice.number}}', body: 'Hello\n{{customer.nmae}}\n{{#if amountDue}}' });
    expect(broken.body).toContain('Body, line 3: {{#if}} is never closed with {{/if}}');
    const unknown = await post(path, { subject: 'Invoice {{invoice.numbr}}', body: 'Hello\n\n{{customer.nmae}}' });
    expect(unescape(unknown.body)).toContain('Subject, line 1: unknown merge field "invoice.numbr"');
    expect(unescape(unknown.body)).toContain('Body, line 3: unknown merge field "customer.nmae"');
    expect(await db.sql`select subject, body from templates where step_id = ${first!.id} and language = 'en'`).toEqual(stored);
  });

  it('gives every step a letter template of its own; a letter tab with none shows the e-mail text it is printed with, never "required"', async () => {
    const all = await steps();
    const letters = await db.sql`select step_id, language from templates where channel = 'letter' and step_id = any(${all.map((s) => s.id)}) order by step_id, language`;
    expect(letters).toHaveLength(all.length * 2);
    const [first] = all;
    const seeded = (await get(`/settings/templates/${first!.id}/letter/fr`)).body;
    expect(seeded).not.toContain('data-testid="letter-from-email"');
    expect(seeded).not.toContain(messages('en').templateMissing);

    await db.sql`delete from templates where step_id = ${first!.id} and channel = 'letter' and language = 'fr'`;
    const [email] = await db.sql<[{ subject: string }]>`select subject from templates where step_id = ${first!.id} and channel = 'email' and language = 'fr'`;
    const fallback = unescape((await get(`/settings/templates/${first!.id}/letter/fr`)).body);
    expect(fallback).toContain('data-testid="letter-from-email"');
    expect(fallback).toContain(`name="subject" value="${email.subject}"`);
    expect(fallback).not.toContain(': required');
    expect(fallback).toContain('data-testid="preview-subject"');
  });

  it('previews a draft on a real invoice with its fields filled in and the customer name escaped', async () => {
    const [first] = await steps();
    const fragment = await post(`/templates/preview/${first!.id}/email/en`, { subject: 'Invoice {{invoice.number}} for {{customer.name}}', body: '<p>Dear {{customer.name}}, {{amountDue}} is due.</p>', invoice: 'F-CFG' });
    expect(fragment.body).not.toContain('<html');
    expect(fragment.body).toContain('Invoice F-CFG for &lt;script&gt;');
    const frame = /src="(\/templates\/preview\/[^"]+)"/.exec(fragment.body)![1]!;
    const page = await get(frame);
    expect(page.headers.get('content-security-policy')).toContain('sandbox');
    expect(page.headers.get('content-security-policy')).toContain("default-src 'none'");
    expect(page.body).toContain('Dear &lt;script&gt;alert(1)&lt;/script&gt; SARL, €1,200.00 is due.');
    expect(page.body).not.toContain('<script>');
    // Another user cannot open someone else's preview.
    expect((await get(frame, finance)).status).toBe(404);
  });

  it("uses a user's own version for that user's sends only", async () => {
    const [, second] = await steps();
    const mine = await post(`/my-templates/${second!.id}/email/fr`, { subject: 'Mon relevé {{invoice.number}}', body: 'Bonjour, {{amountDue}}' }, finance);
    expect(mine.status).toBe(200);
    const financeEmail = (await db.sql<{ email: string }[]>`select email from users where role = 'finance'`)[0]!.email;
    const [invoice] = await db.sql<{ id: number }[]>`select id from invoices where number = 'F-CFG'`;
    const reminders = createReminderActivities({ sql: db.sql, mailer: createOutboxMailer(db.sql), defaultFrom: 'R <r@test.example>', pdf, publicUrl: ORIGIN });
    await reminders.performReminder({ invoiceId: invoice!.id, level: 2, actor: financeEmail, note: null, at: Date.now() });
    const outbox = await get('/outbox', finance);
    expect(outbox.body).toContain('Mon relevé F-CFG');
    expect((await recentAudit(db.sql, 50)).some((e) => e.action === 'template.update')).toBe(false);
  });

  it('edits the special "direct debit returned" template like a step\'s, previewed on an invoice at its next step, and checked the same way', async () => {
    const page = await get('/settings/policies');
    expect(page.body).toContain('href="/settings/templates/debit_returned/email/fr"');
    const path = '/settings/templates/debit_returned/email/en';
    expect(unescape((await get(path)).body)).toContain('Direct debit returned: invoice {{invoice.number}}');
    expect(unescape((await post(path, { subject: 'Returned {{returnReasn}}', body: 'x' })).body)).toContain('Subject, line 1: unknown merge field "returnReasn"');
    expect((await post(path, { subject: 'Returned: {{invoice.number}} ({{returnReason}})', body: '<p>{{amountDue}} for {{level.name}}</p>' })).body).toContain('Done.');
    expect(await db.sql`select subject from templates where purpose = 'debit_returned' and language = 'en' and channel = 'email'`).toEqual([{ subject: 'Returned: {{invoice.number}} ({{returnReason}})' }]);
    const fragment = await post('/templates/preview/debit_returned/email/en', { subject: 'Returned {{invoice.number}} at {{level.name}}', body: '<p>x</p>', invoice: 'F-CFG' });
    expect(fragment.body).toMatch(/Returned F-CFG at Relance \d/);
    expect((await get('/my-templates/debit_returned/email/en', finance)).status).toBe(404);
  });
});

describe('outbox, settings and users', () => {
  it('lists sent e-mails with recipient, provider id and the exact rendering in a sandbox', async () => {
    const page = await get('/outbox?status=sent');
    expect(page.body).toContain('compta@dupont.example');
    expect(page.body).toMatch(/<code>[\w-]+<\/code>/);
    const id = /href="\/outbox\?status=sent&amp;show=(\d+)"/.exec(page.body)![1];
    const shown = await get(`/outbox?status=sent&show=${id}`);
    const rendering = await get(/src="(\/outbox\/\d+\/html)"/.exec(shown.body)![1]!);
    expect(rendering.headers.get('content-security-policy')).toContain('sandbox');
    expect(rendering.body).toContain('F-CFG');
    expect(rendering.body).not.toContain('<script>alert');
  });

  it('refuses bad settings naming the field, saves good ones and audits them', async () => {
    const before = await getSettings(db.sql);
    const form = { companyName: 'Relance Test SA', companyAddress: '1 rue X', companyEmail: 'ar@test.example', companyPhone: '', mailFrom: '', timezone: 'Europe/Paris', sendHour: '8', country: 'FR', dueSoonDays: '5', minimumBalance: '15,00', reviewHour: '7', payLinkDays: '60' };
    const bad = await post('/settings', { ...form, timezone: 'Mars/Olympus', sendHour: '25', payLinkDays: '0' });
    expect(bad.body).toContain('Time zone: an IANA time zone');
    expect(bad.body).toContain('Send hour:');
    expect(bad.body).toContain('Pay links valid for (days): from 1 to 3650 days');
    expect(await getSettings(db.sql)).toEqual(before);
    await post('/settings', form);
    expect(await getSettings(db.sql)).toMatchObject({ companyName: 'Relance Test SA', sendHour: 8, minimumBalanceCents: 1500, mailFrom: null, payLinkDays: 60 });
    expect((await recentAudit(db.sql, 1))[0]).toMatchObject({ action: 'settings.update', before: { sendHour: 9 }, after: { sendHour: 8 } });
    // The legal identity the letters print: a SIRET and a VAT number are checked by name.
    const identity = { companyLegalForm: 'SAS', companyCapital: '10 000 €', companySiret: '123 456 789 00017', companyRcs: 'Lyon', companyVat: 'fr 32 123456789' };
    const wrong = await post('/settings', { ...form, ...identity, companySiret: '1234', companyVat: 'X' });
    expect(wrong.body).toContain('SIRET: a SIRET of 14 digits');
    expect(wrong.body).toContain('Intra-community VAT number: an intra-community VAT number such as FR12345678901');
    await post('/settings', { ...form, ...identity });
    expect(await getSettings(db.sql)).toMatchObject({ companyLegalForm: 'SAS', companyCapital: '10 000 €', companySiret: '12345678900017', companyRcs: 'Lyon', companyVat: 'FR32123456789' });
  });

  it('adds a finance user, and never leaves the site without an administrator', async () => {
    await post('/settings/users', { email: 'Compta@Test.example', name: 'Claire', role: 'finance', password: 'a long enough password' });
    expect((await get('/settings/users')).body).toContain('compta@test.example');
    const short = await post('/settings/users', { email: 'x@test.example', name: 'X', role: 'finance', password: 'short' });
    expect(short.body).toContain('Password: at least 12 characters');
    const [me] = await db.sql<{ id: number }[]>`select id from users where role = 'admin'`;
    const res = await post(`/settings/users/${me!.id}/role`, { role: 'finance' });
    expect(res.body).toContain('at least one administrator must remain');
    expect((await db.sql`select role from users where id = ${me!.id}`)[0]!.role).toBe('admin');
  });
});
