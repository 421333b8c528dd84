import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ORIGIN, signIn } from '../helpers/admin-session.js';
import { API_TOKEN, startStack, type Stack } from '../helpers/stack.js';

// Hostile input against the running app (issue 7): whatever arrives, a 4xx that names what is
// wrong, never a 500, never half a write, never a script reflected as markup.
let stack: Stack;
let db: Stack['db'];
let app: Stack['app'];
let admin: { cookie: string; csrf: string };
let finance: { cookie: string; csrf: string };

const SCRIPT = '<script>alert(1)</script>';
const HOSTILE: unknown[] = [
  "' OR 1=1; drop table invoices; --", SCRIPT, '"><img src=x onerror=alert(1)>', '{{constructor.constructor}}', '=cmd|\' /C calc\'!A0',
  '\u202e\u0000\ud800 ünïcødé 請求書 🧾', 'x'.repeat(100_000), '', ' ', '-1', '1e309', '2026-02-30', '../../etc/passwd',
  -1, 0, 1.5, 1e308, 2 ** 63, Number.MAX_SAFE_INTEGER + 2, true, null, [], {}, [SCRIPT], { $ne: null }, { __proto__: { admin: true } },
];
const TABLES = ['customers', 'invoices', 'installments', 'payments', 'mandates', 'reminders', 'follow_up_events', 'disputes', 'payment_promises', 'users', 'policies'];

async function counts(): Promise<Record<string, number>> {
  const rows = await Promise.all(TABLES.map((t) => db.sql.unsafe(`select count(*)::int as n from ${t}`)));
  return Object.fromEntries(TABLES.map((t, i) => [t, rows[i]![0]!.n as number]));
}

beforeAll(async () => {
  stack = await startStack('hostile');
  ({ db, app } = stack);
  admin = await signIn(app, db.sql, 'admin');
  finance = await signIn(app, db.sql, 'finance');
  const api = (method: string, path: string, body: unknown) =>
    app.request(`/api/v1${path}`, { method, headers: { authorization: `Bearer ${API_TOKEN}`, 'content-type': 'application/json' }, body: JSON.stringify(body) });
  expect((await api('PUT', '/customers/C-H', { name: 'Hostile SARL', emails: ['ap@hostile.example'], language: 'fr' })).status).toBe(201);
  expect((await api('PUT', '/invoices/F-H', { customerRef: 'C-H', issueDate: '2099-01-10', currency: 'EUR', totalCents: 10_000, dueDate: '2099-02-10' })).status).toBe(201);
}, 120_000);
afterAll(() => stack?.stop());

/** A valid body per operation: each hostile case replaces one of its fields. */
const VALID: Record<string, Record<string, unknown>> = {
  'PUT /customers/{ref}': { name: 'Hostile SARL', emails: ['ap@hostile.example'], language: 'fr' },
  'PUT /customers/{ref}/mandate': { iban: 'FR7630006000011234567890189', holder: 'Hostile SARL', reference: 'RUM-H-1', signedOn: '2025-01-01' },
  'PUT /invoices/{number}': { customerRef: 'C-H', issueDate: '2099-01-10', currency: 'EUR', totalCents: 10_000, dueDate: '2099-02-10' },
  'POST /invoices/{number}/pause': { reason: 'checking' },
  'POST /invoices/{number}/resume': {},
  'POST /invoices/{number}/send-now': { note: 'x' },
  'POST /payments': { invoiceNumber: 'F-H', amountCents: 1, currency: 'EUR', paidOn: '2099-01-11', method: 'transfer', externalId: 'hostile-1' },
};

function expectCleanAnswer(status: number, type: string, body: string, what: string) {
  expect(status, `${what} → ${status}: ${body.slice(0, 300)}`).toBeLessThan(500);
  // JSON carries data as data; only a page could run it.
  if (type.includes('html')) expect(body, what).not.toContain(SCRIPT);
  if (status >= 400 && status !== 401 && status !== 404) {
    const answer = JSON.parse(body) as { error?: string; message?: string; problems?: { field: string; message: string }[] };
    expect(answer.error, what).toBeTruthy();
    // A refusal says what was wrong: a field with its message, or a sentence.
    expect(Boolean(answer.problems?.every((p) => p.field && p.message)) || Boolean(answer.message), `${what}: ${body.slice(0, 200)}`).toBe(true);
  }
}

describe('the REST API under hostile input', () => {
  it('answers every operation of its OpenAPI document with a 4xx naming the problem, and writes nothing on a refusal', async () => {
    const doc = (await (await app.request('/api/v1/openapi.json')).json()) as { paths: Record<string, Record<string, unknown>> };
    const operations = Object.entries(doc.paths).flatMap(([path, ops]) => Object.keys(ops).map((m) => ({ method: m.toUpperCase(), path })));
    expect(operations.length).toBeGreaterThanOrEqual(8);
    let sent = 0;
    for (const op of operations) {
      const key = `${op.method} ${op.path}`;
      const valid = VALID[key] ?? {};
      const paths = [op.path.replace('{ref}', 'C-H').replace('{number}', 'F-H'), ...['%27%20OR%201%3D1--', encodeURIComponent(SCRIPT), 'x'.repeat(300)].map((p) => op.path.replace(/\{\w+\}/, p))];
      const bodies: (string | undefined)[] = [
        undefined, '', '{', '[]', 'null', '"text"', '{"a":', '{"__proto__": {"admin": true}}', JSON.stringify([valid]), 'x'.repeat(200_000),
        ...Object.keys(valid).flatMap((field) => HOSTILE.map((value) => JSON.stringify({ ...valid, [field]: value }))),
        ...fc.sample(fc.json({ maxDepth: 3 }), { numRuns: 25, seed: 7356 }),
      ];
      for (const path of paths) {
        for (const body of op.method === 'GET' ? [undefined] : path === paths[0] ? bodies : bodies.slice(0, 4)) {
          const before = await counts();
          const res = await app.request(`/api/v1${path}`, {
            method: op.method, headers: { authorization: `Bearer ${API_TOKEN}`, 'content-type': op.path.endsWith('/pdf') ? 'application/pdf' : 'application/json' }, body,
          });
          const text = await res.text();
          expectCleanAnswer(res.status, res.headers.get('content-type') ?? '', text, `${op.method} ${path} ${String(body).slice(0, 80)}`);
          if (res.status >= 400) expect(await counts(), `${op.method} ${path} ${String(body).slice(0, 80)}`).toEqual(before);
          sent++;
        }
      }
    }
    expect(sent).toBeGreaterThan(1_000);
  });
});

/** The admin's forms, each posted with every field hostile. */
const FORMS = [
  '/settings', '/settings/sepa', '/settings/stripe', '/settings/users', '/settings/policies', '/settings/policies/1/steps', '/settings/policies/1/charges',
  '/settings/policies/1/sending', '/settings/reference-rates', '/settings/templates/1/email/fr', '/settings/templates/statement/email/en',
  '/customers/C-H/mandate', '/customers/C-H/pause', '/customers/C-H/policy', '/invoices/F-H/payments', '/invoices/F-H/promise', '/invoices/F-H/dispute',
  '/invoices/F-H/notes', '/invoices/F-H/manual-reminder', '/invoices/F-H/pause', '/sepa', '/runs', '/review/2099-01-01/hold', '/templates/preview/1/email/fr',
];
const FIELDS = [
  'name', 'email', 'password', 'role', 'companyName', 'timezone', 'sendHour', 'country', 'dueSoonDays', 'minimumBalance', 'reviewHour', 'creditorId', 'iban', 'bic',
  'leadDays', 'secretKey', 'publishableKey', 'webhookSecret', 'delayDays', 'channel', 'colour', 'fee', 'interestRule', 'interestRate', 'validFrom', 'rate',
  'subject', 'body', 'invoice', 'holder', 'reference', 'signedOn', 'sequence', 'reason', 'policy', 'amount', 'paidOn', 'method', 'promisedOn', 'owner', 'note',
  'level', 'nextOn', 'collectionDate', 'format', 'label', 'held',
];

/** A URL path segment; a lone surrogate becomes bytes that are not UTF-8 at all. */
const pathPart = (text: string) => {
  try {
    return encodeURIComponent(text);
  } catch {
    return '%ED%A0%80';
  }
};

/** A header value: HTTP carries Latin-1 only, so the rest is replaced. */
const headerPart = (text: string) => text.replace(/[^\x20-\x7e]/g, '?').slice(0, 100);

describe('the public endpoints under hostile input', () => {
  it('sign-in, webhooks and pay links answer hostile requests with a 4xx, never a 500', async () => {
    for (const value of HOSTILE) {
      const text = typeof value === 'string' ? value : JSON.stringify(value);
      for (const [path, init] of [
        ['/login', { method: 'POST', headers: { origin: ORIGIN, 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams({ email: text, password: text }).toString() }],
        ['/webhooks/resend', { method: 'POST', headers: { 'content-type': 'application/json', 'svix-id': headerPart(text), 'svix-signature': headerPart(text) }, body: text }],
        ['/webhooks/stripe', { method: 'POST', headers: { 'content-type': 'application/json', 'stripe-signature': headerPart(text) }, body: text }],
        [`/pay/invoice/1/${pathPart(text.slice(0, 100))}`, {}],
        [`/pay/customer/${pathPart(text.slice(0, 100))}/x`, {}],
      ] as const) {
        const res = await app.request(path, init);
        // Refused, or (a pay path that is not one) sent to the sign-in page; never served, never a 500.
        expect([302, 400, 401, 403, 404, 422, 429], `${path} ← ${text.slice(0, 40)}`).toContain(res.status);
      }
    }
  });
});

describe('the admin forms under hostile input', () => {
  it('answer every form with every field hostile without a 500 or a reflected script, and refuse a finance user every admin action', async () => {
    const post = (who: { cookie: string; csrf: string }, path: string, value: string) =>
      app.request(path, {
        method: 'POST',
        headers: { cookie: `${who.cookie}; relance_lang=en`, origin: ORIGIN, 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({ _csrf: who.csrf, ...Object.fromEntries(FIELDS.map((f) => [f, value])) }).toString(),
      });
    for (const path of FORMS) {
      for (const value of HOSTILE.filter((v): v is string => typeof v === 'string')) {
        const res = await post(admin, path, value);
        const body = await res.text();
        expect(res.status, `${path} ← ${value.slice(0, 40)}: ${body.slice(0, 200)}`).toBeLessThan(500);
        expect(body, path).not.toContain(SCRIPT);
      }
    }
    const adminOnly = FORMS.filter((p) => p.startsWith('/settings') || p.endsWith('/policy'));
    for (const path of adminOnly) {
      const before = await counts();
      expect((await post(finance, path, 'x')).status, path).toBe(403);
      expect(await counts(), path).toEqual(before);
    }
  });
});
