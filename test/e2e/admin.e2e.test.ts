import { serve, type ServerType } from '@hono/node-server';
import { Client } from '@temporalio/client';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import type { Worker } from '@temporalio/worker';
import { mkdir } from 'node:fs/promises';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createOutboxMailer } from '../../activities/mail/outbox-mailer.js';
import { createUser } from '../../db/queries/users.js';
import { createApp } from '../../web/app.js';
import { hashPassword } from '../../web/auth/passwords.js';
import { dunningWorkflowId, startOrWakeDunning } from '../../web/dunning-client.js';
import { createWorker } from '../../worker/create-worker.js';
import { addDays } from '../../workflows/schedule/calendar-date.js';
import { localDate } from '../../workflows/schedule/zoned-time.js';
import { freshDatabase } from '../helpers/database.js';
import { makeCustomer, makeInvoice } from '../helpers/fixtures.js';
import { freePort } from '../helpers/ports.js';
import { timeSkippingEnvironment, workflowBundle } from '../helpers/temporal.js';

// The real server, worker, Temporal and Postgres, driven by Debian's Chromium.
const ARTIFACTS = 'test-artifacts';
let env: TestWorkflowEnvironment;
let db: Awaited<ReturnType<typeof freshDatabase>>;
let worker: Worker;
let running: Promise<void>;
let server: ServerType;
let browser: Browser;
let page: Page;
let base: string;
let plain: Client;
const dialogs: string[] = [];
const today = localDate(Date.now(), 'Europe/Paris');

beforeAll(async () => {
  const [e, bundle, d, port] = await Promise.all([timeSkippingEnvironment(), workflowBundle(), freshDatabase(), freePort()]);
  env = e;
  db = d;
  base = `http://127.0.0.1:${port}`;
  // A plain client: the time-skipping one would let the server jump to future timers.
  plain = new Client({ connection: env.connection });
  worker = await createWorker({
    connection: env.nativeConnection, namespace: 'default', taskQueue: 'e2e', workflowBundle: bundle,
    deps: { sql: db.sql, mailer: createOutboxMailer(db.sql), defaultFrom: 'Relance <r@test.example>' },
  });
  running = worker.run();
  const app = createApp({ sql: db.sql, publicUrl: base, temporal: plain, taskQueue: 'e2e', apiToken: 'x'.repeat(32), temporalUiUrl: 'http://ui.test', namespace: 'default' });
  server = serve({ fetch: app.fetch, hostname: '127.0.0.1', port });
  await createUser(db.sql, { email: 'fanny@relance.test', name: 'Fanny', role: 'finance', passwordHash: await hashPassword('a long e2e password') });
  const customer = await makeCustomer(db.sql, { name: 'Atelier <script>alert(1)</script>' });
  for (const [number, offset] of [['F-E2E-LATE', -12], ['F-E2E-SOON', 2], ['F-E2E-LATER', 45]] as const) {
    const invoice = await makeInvoice(db.sql, customer, { number, dueDate: addDays(today, offset), totalCents: 75_000 });
    await startOrWakeDunning(plain, 'e2e', { ...invoice, customerRef: 'C-e2e' });
  }
  await mkdir(ARTIFACTS, { recursive: true });
  browser = await chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
  page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  // A dialog would mean a customer's name ran as a script somewhere.
  page.on('dialog', (dialog) => {
    dialogs.push(dialog.message());
    void dialog.dismiss();
  });
});
afterAll(async () => {
  await browser?.close();
  server?.close();
  worker?.shutdown();
  await running;
  await env?.teardown();
  await db?.drop();
});

it('signs in, filters the mass follow-up by due date and sees the right rows and colours', async () => {
  await page.goto(`${base}/invoices`);
  await page.fill('#email', 'fanny@relance.test');
  await page.fill('#password', 'a long e2e password');
  await page.click('button[type=submit]');
  await page.waitForSelector('[data-testid=amount-overdue]');
  await page.screenshot({ path: `${ARTIFACTS}/e2e-dashboard.png`, fullPage: true });
  await page.goto(`${base}/invoices`);
  await expect.poll(() => page.locator('tr[data-invoice]').count()).toBe(3);
  await page.fill('input[name=dueTo]', addDays(today, 7));
  await expect.poll(() => page.locator('tr[data-invoice]').count()).toBe(2);
  const rows = await page.locator('tr[data-invoice]').evaluateAll((trs) =>
    trs.map((tr) => [tr.getAttribute('data-invoice'), tr.className, (tr.querySelector('input[type=checkbox]') as HTMLInputElement).checked]),
  );
  expect(rows).toEqual([['F-E2E-LATE', 'row-red', true], ['F-E2E-SOON', 'row-orange', false]]);
  expect(await page.locator('td', { hasText: 'Atelier <script>alert(1)</script>' }).count()).toBe(2);
  await page.screenshot({ path: `${ARTIFACTS}/e2e-follow-up.png`, fullPage: true });
  expect(dialogs).toEqual([]);
});

it('pauses and resumes an invoice, then a payment ends its workflow', async () => {
  await page.click('a:text("F-E2E-LATE")');
  await page.waitForSelector('h1:has-text("F-E2E-LATE")');
  await page.fill('input[name=reason]', 'Litige qualité');
  await page.click('button:text("Suspendre les relances")');
  await page.waitForSelector('text=Dunning paused: Litige qualité');
  await page.click('button:text("Reprendre les relances")');
  await page.waitForSelector('text=Dunning resumed');
  await page.fill('input[name=amount]', '750');
  await page.click('button:text("Enregistrer un règlement")');
  await expect.poll(() => page.locator('[data-testid=balance]').innerText()).toMatch(/^0,00\s€$/);
  await page.screenshot({ path: `${ARTIFACTS}/e2e-invoice.png`, fullPage: true });
  expect(dialogs).toEqual([]);
  const invoiceId = (await db.sql<[{ id: number }]>`select id from invoices where number = 'F-E2E-LATE'`)[0].id;
  expect(await plain.workflow.getHandle(dunningWorkflowId(invoiceId)).result()).toMatchObject({ status: 'paid' });
});
