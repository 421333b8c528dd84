import { Client } from '@temporalio/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createUser } from '../../db/queries/users.js';
import { PreviewStore } from '../../web/admin/preview-store.js';
import { checkCsv } from '../../web/import/csv-rows.js';
import { hashPassword } from '../../web/auth/passwords.js';
import { followed, ORIGIN, signIn } from '../helpers/admin-session.js';
import { freshDatabase } from '../helpers/database.js';
import { makeCustomer, makeInvoice } from '../helpers/fixtures.js';
import { API_TOKEN, testApp } from '../helpers/stack.js';

// The holes found when the product was attacked from outside and from inside (issue 15), each
// with the behaviour that closes it. No request here reaches Temporal: refusals come first.
let db: Awaited<ReturnType<typeof freshDatabase>>;
let app: ReturnType<typeof testApp>;
const previews = new PreviewStore({ entries: 200, bytes: 4 * 1024 * 1024 });

beforeAll(async () => {
  db = await freshDatabase();
  app = testApp(db.sql, new Client(), 'security', { previews });
  const customer = await makeCustomer(db.sql, { ref: 'C-SEC' });
  await makeInvoice(db.sql, customer, { number: 'F-SEC-1', dueDate: '2026-01-15' });
});
afterAll(() => db?.drop());

const counts = async () => (await db.sql<{ n: number }[]>`select (select count(*) from customers) + (select count(*) from invoices) + (select count(*) from payments) as n`)[0]!.n;

const form = (fields: Record<string, string>, extra: Record<string, string> = {}) => ({
  method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded', origin: ORIGIN, ...extra }, body: new URLSearchParams(fields).toString(),
});

describe('the REST API token', () => {
  it('is asked of every operation of the OpenAPI document, whatever the path ends with; only GET of the document itself is public', async () => {
    const doc = (await (await app.request('/api/v1/openapi.json')).json()) as { paths: Record<string, Record<string, unknown>> };
    const before = await counts();
    let asked = 0;
    for (const [path, operations] of Object.entries(doc.paths)) {
      for (const method of Object.keys(operations)) {
        for (const value of ['openapi.json', 'C-SEC', 'F-SEC-1', 'x%2Fopenapi.json']) {
          const url = `/api/v1${path.replace(/\{\w+\}/, value)}`;
          for (const suffix of ['', '?next=/openapi.json', '#/openapi.json']) {
            const res = await app.request(url + suffix, {
              method: method.toUpperCase(), headers: { 'content-type': 'application/json' },
              body: method === 'get' ? undefined : JSON.stringify({ customerRef: 'C-SEC', issueDate: '2026-01-02', currency: 'EUR', totalCents: 987_654, dueDate: '2026-01-15', name: 'x' }),
            });
            expect(res.status, `${method.toUpperCase()} ${url}${suffix}`).toBe(401);
            asked++;
          }
        }
      }
    }
    expect(asked).toBeGreaterThanOrEqual(8 * 4 * 3);
    for (const method of ['POST', 'PUT', 'DELETE']) expect((await app.request('/api/v1/openapi.json', { method })).status).toBe(401);
    expect(await counts()).toBe(before);
  });

  it('refuses references and invoice numbers that are route words, walk up the tree or hold control characters, naming the field', async () => {
    const put = (path: string, body: unknown) =>
      app.request(`/api/v1${path}`, { method: 'PUT', headers: { authorization: `Bearer ${API_TOKEN}`, 'content-type': 'application/json' }, body: JSON.stringify(body) });
    const before = await counts();
    for (const ref of ['openapi.json', 'OpenAPI.JSON', 'pause', 'a..b', '...', 'x%09y']) {
      const res = await put(`/customers/${ref}`, { name: 'Mallory' });
      expect(res.status, ref).toBe(422);
      expect((await res.json()).problems[0].field, ref).toBe('ref');
    }
    const invoice = { customerRef: 'C-SEC', issueDate: '2026-01-02', currency: 'EUR', totalCents: 1_000, dueDate: '2026-01-15' };
    for (const number of ['openapi.json', '..%2Fcustomers%2FC-SEC', '%2F2026', '2026%2F', '2026%2F%2F1', '2026%2Fpause', 'F%0A1', 'pdf']) {
      const res = await put(`/invoices/${number}`, invoice);
      expect(res.status, number).toBe(422);
      expect((await res.json()).problems.map((p: { field: string }) => p.field), number).toContain('number');
    }
    const refused = await put('/invoices/F-SEC-2', { ...invoice, customerRef: 'C..SEC' });
    expect((await refused.json()).problems[0]).toEqual({ field: 'customerRef', message: 'must not contain ".."' });
    expect(await counts()).toBe(before);
    // The CSV import goes through the same rule, line by line.
    const csv = checkCsv('invoices', 'number,customer_ref,issue_date,due_date,total\n../customers/C-SEC,C-SEC,2026-01-02,2026-01-15,10.00\n2026/123,C-SEC,2026-01-02,2026-01-15,10.00\n');
    expect(csv.ok).toBe(false);
    if (!csv.ok) expect(csv.errors.map((e) => [e.line, e.field])).toEqual([[2, 'number']]);
  });
});

describe('sign-in throttling', () => {
  const login = (email: string, password: string, headers: Record<string, string> = {}) => app.request('/login', form({ email, password }, headers));
  const deviceOf = (res: Response) => res.headers.get('set-cookie')?.match(/relance_device=([^;]+)/)?.[1];

  it('counts parallel guesses one by one: of 40 at once, at most five are checked', async () => {
    await createUser(db.sql, { email: 'burst@relance.test', name: 'Burst', role: 'admin', passwordHash: await hashPassword('the right password') });
    const guesses = Array.from({ length: 40 }, (_, i) => (i === 39 ? 'the right password' : `guess ${i}`));
    const statuses = await Promise.all(guesses.map(async (g) => (await login('burst@relance.test', g)).status));
    expect(statuses.filter((s) => s !== 429).length).toBeLessThanOrEqual(5);
    expect(statuses.filter((s) => s === 429).length).toBeGreaterThanOrEqual(35);
    expect((await db.sql`select count(*)::int as n from login_failures where email = 'burst@relance.test'`)[0]!.n).toBeLessThanOrEqual(5);
  });

  it('takes as long for an unknown address as for a known one', async () => {
    await createUser(db.sql, { email: 'known@relance.test', name: 'Known', role: 'finance', passwordHash: await hashPassword('the right password') });
    const timed = async (email: string) => {
      const started = performance.now();
      expect((await login(email, 'a wrong password')).status).toBe(401);
      return performance.now() - started;
    };
    const median = (xs: number[]) => xs.sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
    const known: number[] = [];
    const unknown: number[] = [];
    for (let i = 0; i < 4; i++) {
      known.push(await timed('known@relance.test'));
      unknown.push(await timed(`nobody-${i}@relance.test`));
    }
    // Both run one Argon2 verification; without the decoy an unknown address answered ten times faster.
    console.log(`sign-in failure: unknown address ${median(unknown).toFixed(0)} ms, known address ${median(known).toFixed(0)} ms (medians of 4)`);
    expect(median(unknown)).toBeGreaterThan(median(known) * 0.5);
  });

  it("locks a stranger out of an address without locking out its owner's browser (device cookie)", async () => {
    await createUser(db.sql, { email: 'owner@relance.test', name: 'Owner', role: 'finance', passwordHash: await hashPassword('the right password') });
    const first = await login('owner@relance.test', 'the right password');
    expect(first.status).toBe(302);
    const device = deviceOf(first)!;
    expect(first.headers.get('set-cookie')).toMatch(/relance_device=[^;]+;.*HttpOnly/);
    for (let i = 0; i < 5; i++) expect((await login('owner@relance.test', `stranger ${i}`)).status).toBe(401);
    expect((await login('owner@relance.test', 'the right password')).status).toBe(429);
    const owner = await login('owner@relance.test', 'the right password', { cookie: `relance_device=${device}` });
    expect(owner.status).toBe(302);
    // A device cookie is worth nothing for another address, nor once tampered with.
    await createUser(db.sql, { email: 'other@relance.test', name: 'Other', role: 'finance', passwordHash: await hashPassword('the right password') });
    for (let i = 0; i < 5; i++) await login('other@relance.test', `stranger ${i}`);
    expect((await login('other@relance.test', 'the right password', { cookie: `relance_device=${device}` })).status).toBe(429);
    expect((await login('owner@relance.test', 'the right password', { cookie: `relance_device=${device.slice(0, -2)}xx` })).status).toBe(429);
    // The trusted browser is throttled on its own.
    const trusted = deviceOf(owner)!;
    for (let i = 0; i < 5; i++) expect((await login('owner@relance.test', `typo ${i}`, { cookie: `relance_device=${trusted}` })).status).toBe(401);
    expect((await login('owner@relance.test', 'the right password', { cookie: `relance_device=${trusted}` })).status).toBe(429);
  });

  it('counts clients by X-Forwarded-For only behind a declared reverse proxy', async () => {
    const proxied = testApp(db.sql, new Client(), 'security', { trustProxy: 1 });
    const guess = (a: { request: typeof app.request }, i: number, forwardedFor: string) =>
      a.request('/login', form({ email: `spray-${forwardedFor}-${i}@relance.test`, password: 'x' }, { 'x-forwarded-for': forwardedFor }));
    for (let i = 0; i < 20; i++) expect((await guess(proxied, i, 'forged, 203.0.113.7')).status).toBe(401);
    expect((await guess(proxied, 20, 'other, 203.0.113.7')).status).toBe(429);
    expect((await guess(proxied, 21, '203.0.113.8')).status).toBe(401);
    // Without the setting the header is the client's own word, and is ignored.
    await db.sql`delete from login_failures`;
    for (let i = 0; i < 20; i++) await guess(app, i, `198.51.100.${i}`);
    expect((await guess(app, 20, '198.51.100.99')).status).toBe(429);
    await db.sql`delete from login_failures`;
  });
});

describe('request bodies', () => {
  it('refuses a body over its route limit from its declared length, before any authentication or read', async () => {
    for (const [method, path] of [['POST', '/api/v1/payments'], ['POST', '/login'], ['POST', '/invoices/F-SEC-1/notes'], ['POST', '/webhooks/stripe'], ['PUT', '/api/v1/invoices/F-SEC-1/pdf']]) {
      const res = await app.request(path!, { method, headers: { 'content-type': 'application/json', 'content-length': String(200 * 1024 * 1024), origin: ORIGIN }, body: '{}' });
      expect(res.status, path).toBe(413);
      expect(await res.text(), path).toMatch(/larger than this route accepts \((512 kB|10 MB)\)/);
    }
  });

  it('authenticates before reading: an anonymous body is never parsed, however hostile', async () => {
    const anonymous = (body: string) => app.request('/api/v1/payments', { method: 'POST', headers: { 'content-type': 'application/json' }, body });
    expect((await anonymous('{"invoiceNumber":"\\u0000"}')).status).toBe(401);
    expect((await anonymous('x'.repeat(400_000))).status).toBe(401);
    const signedIn = await app.request('/api/v1/payments', {
      method: 'POST', headers: { authorization: `Bearer ${API_TOKEN}`, 'content-type': 'application/json' }, body: JSON.stringify({ note: 'x'.repeat(600_000) }),
    });
    expect(signedIn.status).toBe(413);
    expect(await signedIn.json()).toMatchObject({ error: 'payload_too_large', limitBytes: 512 * 1024 });
  });

  it('reads a file upload sent without its length only once authenticated, and only up to its limit', async () => {
    const streamOf = (bytes: number) => new ReadableStream({ start: (c) => (c.enqueue(new Uint8Array(bytes)), c.close()) });
    const upload = (bytes: number, authorization?: string) => app.request('/api/v1/invoices/F-SEC-1/pdf', {
      method: 'PUT', headers: { 'content-type': 'application/pdf', ...(authorization ? { authorization } : {}) }, body: streamOf(bytes), duplex: 'half',
    } as RequestInit);
    expect((await upload(11 * 1024 * 1024)).status).toBe(401);
    const tooLarge = await upload(10 * 1024 * 1024 + 1, `Bearer ${API_TOKEN}`);
    expect(tooLarge.status).toBe(413);
    expect((await tooLarge.json()).message).toContain('10 MB');
    expect((await upload(1024, `Bearer ${API_TOKEN}`)).status).toBe(422);
  });

  it('answers a malformed multipart body with a 400, signed in or not', async () => {
    const broken = { 'content-type': 'multipart/form-data; boundary=xyz', origin: ORIGIN };
    expect((await app.request('/login', { method: 'POST', headers: broken, body: 'garbage' })).status).toBe(400);
    const { cookie } = await signIn(app, db.sql);
    const page = await app.request('/import', { method: 'POST', headers: { ...broken, cookie }, body: '--xyz\r\nnot a part' });
    expect(page.status).toBe(400);
    // A person gets a page in their language with the way back; the API keeps its JSON problems.
    expect(page.headers.get('content-type')).toContain('text/html');
    expect((await page.text()).replaceAll('&#39;', "'")).toContain("La demande n'a pas pu être lue");
  });

  it('answers an unknown admin page with a page in the reader\'s language, and an unknown API route with a JSON problem', async () => {
    const { cookie } = await signIn(app, db.sql);
    const page = await app.request('/nothing-here', { headers: { cookie } });
    expect(page.status).toBe(404);
    expect(await page.text()).toContain('Page introuvable');
    const english = await app.request('/nothing-here', { headers: { cookie: `${cookie}; relance_lang=en` } });
    expect(await english.text()).toContain('This page does not exist');
    const api = await app.request('/api/v1/nothing-here', { headers: { authorization: `Bearer ${API_TOKEN}` } });
    expect(api.status).toBe(404);
    expect(await api.json()).toMatchObject({ error: 'not_found' });
  });
});

describe('ids and queries', () => {
  it('answers ids too large to exist with 404, and a query that is no id with 400', async () => {
    const { cookie } = await signIn(app, db.sql);
    for (const path of ['/runs/99999999999999999999', '/documents/99999999999999999999', '/sepa/99999999999999999999', '/import/99999999999999999999', '/pay/invoice/99999999999999999999/x']) {
      expect((await app.request(path, { headers: { cookie } })).status, path).toBe(404);
    }
    for (const query of ['before=1e309', 'before=-1', 'show=99999999999999999999', 'before=abc']) {
      const res = await app.request(`/outbox?${query}`, { headers: { cookie } });
      expect(res.status, query).toBe(400);
      expect(await res.text()).toContain('before, show');
    }
  });
});

describe('template previews', () => {
  it('keep the web process bounded whatever a burst puts in, and refuse a template over its size by name', async () => {
    const session = await signIn(app, db.sql, 'admin');
    const preview = (body: string) =>
      app.request('/templates/preview/1/email/fr', form({ _csrf: session.csrf, subject: 'Relance {{invoice.number}}', body, invoice: 'F-SEC-1' }, { cookie: session.cookie }));
    const heapBefore = process.memoryUsage().heapUsed;
    let last = '';
    for (let i = 0; i < 120; i++) last = await (await preview(`<p>${i} {{invoice.number}}</p>${'x'.repeat(90_000)}`)).text();
    const heapAfter = process.memoryUsage().heapUsed;
    console.log(`preview burst: 120 previews of 90,000 characters; ${(previews.bytes / 1048576).toFixed(1)} MB kept (bound 4 MB); heap ${((heapAfter - heapBefore) / 1048576).toFixed(0)} MB apart`);
    expect(previews.bytes).toBeLessThanOrEqual(4 * 1024 * 1024);
    // The latest preview is still there for its frame.
    const key = /\/templates\/preview\/([\w-]+)"/.exec(last)![1]!;
    expect(await (await app.request(`/templates/preview/${key}`, { headers: { cookie: session.cookie } })).text()).toContain('F-SEC-1');
    const tooLong = await (await preview('x'.repeat(100_001))).text();
    expect(tooLong).toMatch(/Corps, ligne 1 : dépasse 100\s000 caractères/);
  });
});

describe('passwords', () => {
  const sessionWorks = async (cookie: string) => (await app.request('/', { headers: { cookie } })).status === 200;

  it('lets a user change their own password with the current one; their other sessions end', async () => {
    const email = 'changer@relance.test';
    await createUser(db.sql, { email, name: 'Changer', role: 'finance', passwordHash: await hashPassword('the old password') });
    const signInWith = async (password: string) => (await app.request('/login', form({ email, password }))).headers.get('set-cookie')?.match(/relance_session=([^;]+)/)?.[1];
    const here = `relance_session=${await signInWith('the old password')}`;
    const elsewhere = `relance_session=${await signInWith('the old password')}`;
    const csrf = /"X-CSRF-Token":"([^"]+)"/.exec((await (await app.request('/account', { headers: { cookie: here } })).text()).replaceAll('&quot;', '"'))![1]!;
    const change = (fields: Record<string, string>) => app.request('/account/password', form({ _csrf: csrf, ...fields }, { cookie: here }));

    const wrong = await change({ current: 'not it', password: 'a brand new password', confirmation: 'a brand new password' });
    expect(wrong.status).toBe(401);
    expect(await wrong.text()).toContain('Mot de passe actuel : le mot de passe actuel est incorrect');
    const mismatch = await change({ current: 'the old password', password: 'a brand new password', confirmation: 'another one entirely' });
    expect(mismatch.status).toBe(422);
    expect(await mismatch.text()).toContain('Confirmer le nouveau mot de passe : ne correspond pas au nouveau mot de passe');
    expect(await sessionWorks(elsewhere)).toBe(true);

    const done = await change({ current: 'the old password', password: 'a brand new password', confirmation: 'a brand new password' });
    expect(done.status).toBe(303);
    const fresh = `relance_session=${done.headers.get('set-cookie')!.match(/relance_session=([^;]+)/)![1]}`;
    expect(await sessionWorks(fresh)).toBe(true);
    expect(await sessionWorks(elsewhere)).toBe(false);
    expect(await sessionWorks(here)).toBe(false);
    expect(await signInWith('the old password')).toBeUndefined();
    expect(await signInWith('a brand new password')).toBeDefined();
    expect((await db.sql`select action from audit_log where action = 'user.password'`).length).toBe(1);
  });

  it("lets an administrator reset another user's password, ending that user's sessions; a finance user may not", async () => {
    const admin = await signIn(app, db.sql, 'admin');
    const finance = await signIn(app, db.sql, 'finance');
    const [target] = await db.sql<{ id: number }[]>`select u.id from users u join sessions s on s.user_id = u.id where u.role = 'finance' order by s.created_at desc limit 1`;
    const reset = (who: { cookie: string; csrf: string }, id: number, fields: Record<string, string>) =>
      app.request(`/settings/users/${id}/password`, form({ _csrf: who.csrf, ...fields }, { cookie: who.cookie }));
    expect((await reset(finance, target!.id, { password: 'set by finance itself', confirmation: 'set by finance itself' })).status).toBe(403);
    expect(await (await reset(admin, target!.id, { password: 'short', confirmation: 'short' })).text()).toContain('Mot de passe : 12 caractères au moins');
    expect(await sessionWorks(finance.cookie)).toBe(true);
    const done = await (await followed(app, await reset(admin, target!.id, { password: 'set by the admin', confirmation: 'set by the admin' }), admin.cookie)).text();
    expect(done).toMatch(/Mot de passe de .* réinitialisé/);
    expect(await sessionWorks(finance.cookie)).toBe(false);
    expect(await sessionWorks(admin.cookie)).toBe(true);
  });

  it('refuses every configuration page and change to a finance user, whichever sub-app serves it, and writes nothing', async () => {
    const admin = await signIn(app, db.sql, 'admin');
    const finance = await signIn(app, db.sql, 'finance');
    const [step] = await db.sql<{ id: number }[]>`select id from follow_up_steps order by id limit 1`;
    const stepsBefore = await db.sql`select id from follow_up_steps order by id`;
    for (const path of ['/settings', '/settings/users', '/settings/audit', '/settings/policies']) {
      const refused = await app.request(path, { headers: { cookie: finance.cookie } });
      expect(refused.status, path).toBe(403);
      expect(await refused.text()).toContain('<html');
      expect((await app.request(path, { headers: { cookie: admin.cookie } })).status, path).toBe(200);
    }
    for (const path of [`/settings/steps/${step!.id}/delete`, `/settings/steps/${step!.id}/up`, '/settings/policies', '/customers/NOPE/policy', '/settings/users']) {
      expect((await app.request(path, form({ _csrf: finance.csrf, name: 'x', email: 'x@y.z', role: 'admin' }, { cookie: finance.cookie }))).status, path).toBe(403);
    }
    expect(await db.sql`select id from follow_up_steps order by id`).toEqual(stepsBefore);
  });
});
