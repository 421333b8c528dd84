import { Client } from '@temporalio/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hashPassword, passwordMatches } from '../../web/auth/passwords.js';
import { createUser } from '../../db/queries/users.js';
import { ensureFirstAdmin } from '../../web/auth/first-admin.js';
import { testApp } from '../helpers/stack.js';
import { signIn, ORIGIN } from '../helpers/admin-session.js';
import { freshDatabase } from '../helpers/database.js';
import { makeCustomer, makeInvoice } from '../helpers/fixtures.js';

let db: Awaited<ReturnType<typeof freshDatabase>>;
let app: ReturnType<typeof testApp>;

beforeAll(async () => {
  db = await freshDatabase();
  // The pages tested here never reach Temporal; the client connects lazily.
  app = testApp(db.sql, new Client(), 't');
  await createUser(db.sql, { email: 'fin@relance.test', name: 'Fanny Finance', role: 'finance', passwordHash: await hashPassword('correct horse battery') });
});
afterAll(() => db?.drop());

const cookieOf = (res: Response) => res.headers.get('set-cookie')?.match(/relance_session=([^;]+)/)?.[1];

async function login(email = 'fin@relance.test', password = 'correct horse battery', extraCookie = '') {
  return app.request('/login', {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', origin: ORIGIN, cookie: extraCookie },
    body: new URLSearchParams({ email, password }).toString(),
  });
}

async function session() {
  const { cookie, csrf } = await signIn(app, db.sql);
  const page = await (await app.request('/', { headers: { cookie } })).text();
  return { sid: cookie.replace('relance_session=', ''), csrf, page };
}

describe('admin sign-in', () => {
  it('sends an anonymous visitor to the sign-in page, and htmx requests get a redirect header', async () => {
    const res = await app.request('/');
    expect(res.status).toBe(302);
    expect(res.headers.get('location')).toBe('/login');
    const hx = await app.request('/', { headers: { 'hx-request': 'true' } });
    expect(hx.status).toBe(401);
    expect(hx.headers.get('hx-redirect')).toBe('/login');
    expect((await app.request('/logout', { method: 'POST', headers: { origin: ORIGIN } })).status).toBe(401);
  });

  it('refuses a wrong password with a message, and keeps no session', async () => {
    const res = await login('fin@relance.test', 'wrong password');
    expect(res.status).toBe(401);
    expect(await res.text()).toContain('E-mail ou mot de passe incorrect.');
    expect(cookieOf(res)).toBeUndefined();
  });

  it('throttles password guessing per address: past five failures even the right password waits, then the window moves on', async () => {
    await createUser(db.sql, { email: 'target@relance.test', name: 'Target', role: 'admin', passwordHash: await hashPassword('the right password') });
    for (let i = 0; i < 5; i++) expect((await login('target@relance.test', `guess ${i}`)).status).toBe(401);
    const refused = await login('Target@relance.test', 'the right password');
    expect(refused.status).toBe(429);
    expect(await refused.text()).toMatch(/Trop de tentatives de connexion échouées : réessayez dans 1[45] min/);
    expect(cookieOf(refused)).toBeUndefined();
    // Another address is not locked out by someone guessing this one.
    expect((await login('fin@relance.test', 'correct horse battery')).status).toBe(302);
    await db.sql`update login_failures set failed_at = failed_at - interval '16 minutes' where lower(email) = 'target@relance.test'`;
    expect((await login('target@relance.test', 'the right password')).status).toBe(302);
    expect(await db.sql`select 1 from login_failures where lower(email) = 'target@relance.test'`).toHaveLength(0);
  });

  it('opens a fresh HttpOnly, SameSite session on sign-in, whatever cookie came before', async () => {
    const res = await login('FIN@relance.test', 'correct horse battery', 'relance_session=planted-by-attacker');
    expect(res.status).toBe(302);
    const setCookie = res.headers.get('set-cookie')!;
    expect(setCookie).toMatch(/HttpOnly/);
    expect(setCookie).toMatch(/SameSite=Lax/);
    expect(cookieOf(res)).not.toBe('planted-by-attacker');
    expect((await app.request('/', { headers: { cookie: 'relance_session=planted-by-attacker' } })).status).toBe(302);
  });

  it('refuses a state change without the CSRF token or from another site, then signs out with it', async () => {
    const { sid, csrf } = await session();
    const cookie = `relance_session=${sid}`;
    expect((await app.request('/logout', { method: 'POST', headers: { cookie, origin: ORIGIN } })).status).toBe(403);
    const crossSite = await app.request('/logout', { method: 'POST', headers: { cookie, origin: 'https://evil.example', 'x-csrf-token': csrf } });
    expect(crossSite.status).toBe(403);
    const opaque = await app.request('/logout', { method: 'POST', headers: { cookie, origin: 'null', 'x-csrf-token': csrf } });
    expect(opaque.status).toBe(403);
    const out = await app.request('/logout', { method: 'POST', headers: { cookie, origin: ORIGIN, 'x-csrf-token': csrf } });
    expect(out.headers.get('location')).toBe('/login');
    expect((await app.request('/', { headers: { cookie } })).status).toBe(302);
  });

  it('creates the first admin once, with a generated password that signs in', async () => {
    const empty = await freshDatabase();
    try {
      const first = await ensureFirstAdmin(empty.sql, { email: 'boss@relance.test' });
      expect(first).toMatchObject({ email: 'boss@relance.test', password: expect.stringMatching(/^[\w-]{16}$/) });
      expect(await ensureFirstAdmin(empty.sql, { email: 'boss@relance.test' })).toBeNull();
      const [row] = await empty.sql<[{ role: string; hash: string }]>`select role, password_hash as hash from users`;
      expect(row.role).toBe('admin');
      expect(await passwordMatches(row.hash, first!.password!)).toBe(true);
    } finally {
      await empty.drop();
    }
  });

  it('makes one first admin when several web processes start together on a new database', async () => {
    const empty = await freshDatabase();
    try {
      const starts = await Promise.all([1, 2, 3, 4].map(() => ensureFirstAdmin(empty.sql, { email: 'boss@relance.test', password: 'a long enough password' })));
      expect(starts.filter((s) => s !== null)).toHaveLength(1);
      expect(await empty.sql`select email from users`).toEqual([{ email: 'boss@relance.test' }]);
    } finally {
      await empty.drop();
    }
  });
});

describe('dashboard', () => {
  it('shows the amount overdue, the aging chart and the reminders, with names escaped', async () => {
    const customerId = await makeCustomer(db.sql, { name: '<script>alert(1)</script>' });
    const inv = await makeInvoice(db.sql, customerId, { dueDate: '2020-01-10', totalCents: 123_456 });
    await db.sql`insert into reminders (invoice_id, level, step_name, channel, status, sent_at, idempotency_key)
                 values (${inv.id}, 1, 'Relance 1', 'email', 'sent', now(), 'k-dash')`;
    const { page } = await session();
    expect(page).toMatch(/data-testid="amount-overdue">1\s234,56\s€/);
    expect(page).toContain('<svg class="chart"');
    expect(page).toContain('&gt;90 jours');
    expect(page).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(page).not.toContain('<script>alert(1)</script>');
  });

  it('switches to English', async () => {
    const { sid } = await session();
    const page = await (await app.request('/', { headers: { cookie: `relance_session=${sid}; relance_lang=en` } })).text();
    expect(page).toContain('Amount overdue');
    expect(page).toContain('<html lang="en">');
  });
});
