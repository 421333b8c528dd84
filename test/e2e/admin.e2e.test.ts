import { serve, type ServerType } from '@hono/node-server';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { stepsOfPolicy } from '../../db/queries/steps.js';
import { payLinkSecret } from '../../db/queries/stripe.js';
import { payLink } from '../../services/pay-link.js';
import { createUser } from '../../db/queries/users.js';
import { hashPassword } from '../../web/auth/passwords.js';
import { dunningWorkflowId, startOrWakeDunning } from '../../services/temporal/dunning-client.js';
import { formatDate } from '../../services/format.js';
import { nextBusinessDay } from '../../workflows/schedule/business-days.js';
import { addDays } from '../../workflows/schedule/calendar-date.js';
import { instantAt, localDate } from '../../workflows/schedule/zoned-time.js';
import { makeCustomer, makeInvoice } from '../helpers/fixtures.js';
import { freePort } from '../helpers/ports.js';
import { pdfPages } from '../helpers/pdf-text.js';
import { firstFileOfZip, validateAgainstXsd } from '../helpers/sepa-xml.js';
import { startStack, type Stack } from '../helpers/stack.js';
import { facturXPdf } from '../helpers/factur-x.js';

// The real server, worker, Temporal and Postgres, driven by Debian's Chromium.
const ARTIFACTS = 'test-artifacts';
let stack: Stack;
let db: Stack['db'];
let server: ServerType;
let browser: Browser;
let page: Page;
let base: string;
let plain: Stack['client'];
const dialogs: string[] = [];
const today = localDate(Date.now(), 'Europe/Paris');

beforeAll(async () => {
  const port = await freePort();
  base = `http://127.0.0.1:${port}`;
  stack = await startStack('e2e', { publicUrl: base });
  ({ db, client: plain } = stack);
  server = serve({ fetch: stack.app.fetch, hostname: '127.0.0.1', port });
  await createUser(db.sql, { email: 'fanny@relance.test', name: 'Fanny', role: 'finance', passwordHash: await hashPassword('a long e2e password') });
  await createUser(db.sql, { email: 'alice@relance.test', name: 'Alice', role: 'admin', passwordHash: await hashPassword('a long e2e password') });
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
  page = await browser.newPage({ viewport: { width: 1280, height: 900 }, acceptDownloads: true });
  // A dialog would mean a customer's name ran as a script somewhere.
  page.on('dialog', (dialog) => {
    dialogs.push(dialog.message());
    void dialog.dismiss();
  });
});
afterAll(async () => {
  await browser?.close();
  server?.close();
  await stack?.stop();
});

async function signInAs(email: string) {
  await page.goto(`${base}/login`);
  await page.fill('#email', email);
  await page.fill('#password', 'a long e2e password');
  await page.click('button[type=submit]');
  await page.waitForSelector('[data-testid=amount-overdue]');
}

it('signs in, filters the mass follow-up by due date and sees the right rows and colours', async () => {
  await signInAs('fanny@relance.test');
  await page.screenshot({ path: `${ARTIFACTS}/e2e-dashboard.png`, fullPage: true });
  await page.goto(`${base}/invoices`);
  await expect.poll(() => page.locator('tr[data-invoice]').count()).toBe(3);
  await page.fill('input[name=dueTo]', addDays(today, 7));
  await expect.poll(() => page.locator('tr[data-invoice]').count()).toBe(2);
  const rows = await page.locator('tr[data-invoice]').evaluateAll((trs) =>
    trs.map((tr) => [tr.getAttribute('data-invoice'), tr.className, (tr.querySelector('input[type=checkbox]') as HTMLInputElement).checked]),
  );
  // Overdue but reminded at once when its workflow started: its next step is not due, so it is not pre-checked.
  expect(rows).toEqual([['F-E2E-LATE', 'row-red', false], ['F-E2E-SOON', 'row-orange', false]]);
  expect(await page.locator('td', { hasText: 'Atelier <script>alert(1)</script>' }).count()).toBe(2);
  await page.screenshot({ path: `${ARTIFACTS}/e2e-follow-up.png`, fullPage: true });
  expect(dialogs).toEqual([]);
});

it('pauses and resumes an invoice, then a payment ends its workflow', async () => {
  await page.click('a:text("F-E2E-LATE")');
  await page.waitForSelector('h1:has-text("F-E2E-LATE")');
  await page.fill('input[name=reason]', 'Litige qualité');
  await page.click('button:text("Suspendre les relances")');
  await page.waitForSelector('text=Relances suspendues : Litige qualité');
  await page.click('button:text("Reprendre les relances")');
  await page.waitForSelector('text=Relances reprises');
  await page.fill('form[action$="/payments"] input[name=amount]', '750');
  await page.click('button:text("Enregistrer un règlement")');
  await expect.poll(() => page.locator('[data-testid=balance]').innerText()).toMatch(/^0,00\s€$/);
  await page.screenshot({ path: `${ARTIFACTS}/e2e-invoice.png`, fullPage: true });
  expect(dialogs).toEqual([]);
  const invoiceId = (await db.sql<[{ id: number }]>`select id from invoices where number = 'F-E2E-LATE'`)[0].id;
  expect(await plain.workflow.getHandle(dunningWorkflowId(invoiceId)).result()).toMatchObject({ status: 'paid' });
});

it("an admin edits a step's delay: the forecast and the running workflow both move", async () => {
  await page.click('button:text("Se déconnecter")');
  await signInAs('alice@relance.test');
  const due = addDays(today, 45);
  const firstStepOn = async () => {
    await page.goto(`${base}/invoices/F-E2E-LATER`);
    return [await page.locator('table.forecast tr').first().innerText(), await page.locator('[data-testid=workflow-next]').innerText()];
  };
  const before = formatDate(nextBusinessDay(due, 'FR'), 'fr');
  expect(await firstStepOn()).toEqual([expect.stringContaining(before), expect.stringContaining(before)]);

  await page.click('a:text("Étapes")');
  await page.click('a:text("Standard B2B")');
  const row = page.locator('tr[data-step="Relance 1"]');
  await row.locator('input[name=delayDays]').fill('10');
  await row.locator('button:text("Enregistrer")').click();
  await page.waitForSelector('#steps .notice');
  await page.screenshot({ path: `${ARTIFACTS}/e2e-steps.png`, fullPage: true });

  const after = formatDate(nextBusinessDay(addDays(due, 10), 'FR'), 'fr');
  await expect.poll(firstStepOn, { timeout: 10_000 }).toEqual([expect.stringContaining(after), expect.stringContaining(after)]);
});

it('breaks a template and sees the error with its line, fixes it and sees the preview', async () => {
  await page.goto(`${base}/settings/policies`);
  await page.click('a:text("Standard B2B")');
  await page.locator('tr[data-step="Relance 1"] a:text("Modèles")').click();
  await page.waitForSelector('iframe.preview-frame');
  await page.fill('textarea[name=body]', 'Bonjour {{customer.name}},\n\n{{#if amountDue}}\nReste dû : {{amountDu}}');
  await page.waitForSelector('#preview .problems');
  expect(await page.locator('#preview .problems').innerText()).toContain("Corps, ligne 3 : {{#if}} n'est jamais fermé");
  await page.click('button:text("Enregistrer")');
  await page.waitForSelector('p.error:has-text("Refusé")');
  await page.screenshot({ path: `${ARTIFACTS}/e2e-template-error.png`, fullPage: true });

  await page.fill('textarea[name=body]', '<p>Bonjour {{customer.name}},</p>\n<p>Reste dû : <strong>{{amountDue}}</strong> sur la facture {{invoice.number}}.</p>');
  const preview = page.frameLocator('iframe.preview-frame');
  await expect.poll(() => preview.locator('body').innerText(), { timeout: 10_000 }).toContain('Bonjour Atelier <script>alert(1)</script>,');
  await page.click('button:text("Enregistrer")');
  await page.waitForSelector('p.notice:has-text("Fait.")');
  await expect.poll(() => preview.locator('body').innerText(), { timeout: 10_000 }).toContain('Reste dû');
  await page.screenshot({ path: `${ARTIFACTS}/e2e-template.png`, fullPage: true });
  await page.locator('#preview').screenshot({ path: `${ARTIFACTS}/e2e-template-preview.png` });
  expect((await db.sql`select body from templates t join follow_up_steps s on s.id = t.step_id where s.name = 'Relance 1' and t.language = 'fr' and t.channel = 'email'`)[0]!.body).toContain('{{amountDue}}');
  expect(dialogs).toEqual([]);
});

it('shows the configuration pages cleanly', async () => {
  await page.goto(`${base}/outbox`);
  await page.click('a:has-text("Facture F-E2E-LATE")');
  await expect.poll(() => page.frameLocator('iframe.preview-frame').locator('body').innerText()).toContain('F-E2E-LATE');
  await page.screenshot({ path: `${ARTIFACTS}/e2e-outbox.png`, fullPage: true });
  for (const [path, name] of [['/settings', 'settings'], ['/settings/users', 'users'], ['/settings/audit', 'audit'], ['/import', 'import'], ['/settings/policies', 'policies']]) {
    await page.goto(`${base}${path}`);
    await page.screenshot({ path: `${ARTIFACTS}/e2e-${name}.png`, fullPage: true });
  }
  expect(await page.locator('text=step.update').count()).toBe(0);
  await page.goto(`${base}/settings/audit`);
  expect(await page.locator('td code', { hasText: 'step.update' }).count()).toBe(1);
  expect(dialogs).toEqual([]);
});

it('selects invoices in the mass follow-up, runs them as letters, watches the progress and downloads the merged PDF', async () => {
  await page.goto(`${base}/invoices`);
  await page.click('a:text("Tout cocher")');
  await expect.poll(() => page.locator('tr[data-invoice] input[type=checkbox]:checked').count()).toBe(2);
  await page.selectOption('select[name=channel]', 'letter');
  // Neither is due today: sending early is a choice, confirmed with the count it concerns.
  await page.selectOption('#selection select[name=level]', 'next');
  await page.click('button:text("Lancer la relance groupée")');
  expect(await page.locator('[data-testid=early-count]').innerText()).toContain('2 des 2 factures cochées ne sont pas encore à relancer');
  await page.screenshot({ path: `${ARTIFACTS}/e2e-run-confirm.png`, fullPage: true });
  await page.click('button:text("Confirmer l’envoi pour 2 factures")');
  await page.waitForSelector('[data-testid=run-progress]');
  await expect.poll(() => page.locator('[data-testid=run-done]').innerText(), { timeout: 30_000 }).toBe('2');
  await page.waitForSelector('[data-testid=print-pdf]');
  await page.screenshot({ path: `${ARTIFACTS}/e2e-run.png`, fullPage: true });
  const [download] = await Promise.all([page.waitForEvent('download'), page.click('button:text("Télécharger et marquer envoyés (un PDF)")')]);
  const file = `${ARTIFACTS}/e2e-run-letters.pdf`;
  await download.saveAs(file);
  const pages = await pdfPages(new Uint8Array(await readFile(file)));
  expect(pages).toHaveLength(4);
  expect(pages.join(' ')).toContain('F-E2E-SOON');
  expect(dialogs).toEqual([]);
});

it('creates a SEPA run in the browser, downloads the zip, and the XML inside validates against the XSD', async () => {
  await page.goto(`${base}/settings`);
  await page.fill('#sepa input[name=name]', 'Ma Société SAS');
  await page.fill('#sepa input[name=creditorId]', 'FR72ZZZ123456');
  await page.fill('#sepa input[name=iban]', 'FR76 3000 6000 0112 3456 7890 189');
  await page.fill('#sepa input[name=bic]', 'AGRIFRPP');
  await page.click('#sepa button[type=submit]');
  await page.waitForSelector('p.notice');
  const customer = (await db.sql<{ ref: string }[]>`select ref from customers limit 1`)[0]!.ref;
  await page.goto(`${base}/customers/${customer}`);
  await page.fill('#mandate input[name=iban]', 'DE89 3704 0044 0532 0130 00');
  await page.fill('#mandate input[name=bic]', 'COBADEFFXXX');
  await page.fill('#mandate input[name=reference]', 'RUM-E2E-1');
  await page.fill('#mandate input[name=signedOn]', '2025-01-15');
  await page.click('#mandate button[type=submit]');
  await page.waitForSelector('p.notice');

  await page.goto(`${base}/sepa`);
  await page.selectOption('select[name=format]', 'pain.008.002.02');
  await page.click('button:text("Voir les factures à prélever")');
  await page.waitForSelector('[data-testid=sepa-total]');
  const total = page.locator('[data-testid=sepa-total]');
  const selected = (await total.textContent())!;
  expect(selected).toMatch(/^1 prélèvement pour /);
  // The total follows the boxes: none ticked, nothing to collect and nothing to generate.
  await page.locator('input[name=invoice]').first().uncheck();
  await expect.poll(() => total.textContent()).toMatch(/^0 prélèvement pour 0,00\s€$/);
  expect(await page.locator('[data-testid=sepa-generate]').isDisabled()).toBe(true);
  await page.locator('input[name=invoice]').first().check();
  await expect.poll(() => total.textContent()).toBe(selected);
  await page.screenshot({ path: `${ARTIFACTS}/e2e-sepa-preview.png`, fullPage: true });
  await page.click('button:text("Générer le fichier")');
  await page.waitForSelector('[data-testid=sepa-download]', { timeout: 20_000 });
  await page.screenshot({ path: `${ARTIFACTS}/e2e-sepa-run.png`, fullPage: true });
  const [download] = await Promise.all([page.waitForEvent('download'), page.click('[data-testid=sepa-download]')]);
  const zip = `${ARTIFACTS}/e2e-sepa.zip`;
  await download.saveAs(zip);
  const xml = firstFileOfZip(zip);
  await writeFile(`${ARTIFACTS}/e2e-sepa.xml`, xml);
  expect(validateAgainstXsd(`${ARTIFACTS}/e2e-sepa.xml`, 'pain.008.002.02').output).toContain('validates');
  expect(xml).toContain('<MndtId>RUM-E2E-1</MndtId>');
  expect(dialogs).toEqual([]);
});

it("puts a policy in statement mode with approval, reviews tomorrow's pass, approves it, and each customer gets one statement", async () => {
  await page.goto(`${base}/settings/policies`);
  await page.fill('input[name=name]', 'Grands comptes');
  await page.click('button:text("Créer")');
  await page.waitForSelector('h1:has-text("Grands comptes")');
  await page.check('#sending input[name=statementMode]');
  await page.check('#sending input[name=needsApproval]');
  await page.click('#sending button[type=submit]');
  await page.waitForSelector('p.notice');
  const passDate = nextBusinessDay(addDays(today, 1), 'FR');
  // The first step's delay was edited above: the invoices fall due so that it lands on that day.
  const policy = (await db.sql<{ id: number }[]>`select id from policies where name = 'Grands comptes'`)[0]!.id;
  const dueDate = addDays(passDate, -(await stepsOfPolicy(db.sql, policy))[0]!.delayDays);
  for (const ref of ['C-GRP-1', 'C-GRP-2']) {
    const customer = await makeCustomer(db.sql, { ref, name: `Groupe ${ref}`, emails: [`${ref.toLowerCase()}@groupe.example`] });
    await page.goto(`${base}/customers/${ref}`);
    await page.selectOption('select[name=policy]', { label: 'Grands comptes' });
    await page.click('form[action$="/policy"] button[type=submit]');
    await page.waitForSelector('p.notice');
    for (const n of [1, 2]) {
      const invoice = await makeInvoice(db.sql, customer, { number: `${ref}-F${n}`, dueDate, totalCents: 10_000 * n });
      await startOrWakeDunning(plain, 'e2e', { ...invoice, customerRef: ref });
    }
  }
  await page.goto(`${base}/review?date=${passDate}`);
  await page.waitForSelector('[data-testid=review-summary]');
  expect(await page.locator('tr[data-invoice^="C-GRP"]').count()).toBe(4);
  await page.screenshot({ path: `${ARTIFACTS}/e2e-review.png`, fullPage: true });
  await page.click('button:has-text("Valider la revue")');
  await page.waitForSelector('[data-testid=review-approved]');

  await stack.env.sleep(instantAt(passDate, 9, 'Europe/Paris') - (await stack.env.currentTimeMs()) + 5 * 60_000);
  await expect.poll(async () => (await db.sql`select 1 from outbox where subject like 'Relevé de vos factures%'`).length, { timeout: 30_000 }).toBe(2);
  await page.goto(`${base}/outbox`);
  expect(await page.locator('tr:has-text("Relevé de vos factures impayées")').count()).toBe(2);
  await page.screenshot({ path: `${ARTIFACTS}/e2e-review-outbox.png`, fullPage: true });
  expect(dialogs).toEqual([]);
});

it('acts on the very invoice it shows, whatever its number holds: 2026/123 end to end, and a legacy ../customers/… number', async () => {
  await signInAs('fanny@relance.test');
  const api = (method: string, path: string, body: unknown) =>
    stack.app.request(`/api/v1${path}`, { method, headers: { authorization: 'Bearer ' + 'x'.repeat(32), 'content-type': 'application/json' }, body: JSON.stringify(body) });
  expect((await api('PUT', '/customers/C-SLASH', { name: 'Slash SARL', emails: ['ap@slash.example'] })).status).toBe(201);
  expect((await api('PUT', '/invoices/2026%2F123', { customerRef: 'C-SLASH', issueDate: addDays(today, -40), currency: 'EUR', totalCents: 50_000, dueDate: addDays(today, 30) })).status).toBe(201);
  // A number that walks up the tree is refused at the door, named…
  const refused = await api('PUT', '/invoices/..%2Fcustomers%2FC-SLASH', { customerRef: 'C-SLASH', issueDate: today, currency: 'EUR', totalCents: 1, dueDate: today });
  expect(refused.status).toBe(422);
  expect(JSON.stringify(await refused.json())).toContain('number');
  // …and one already stored (written before the rule) still only ever acts on itself.
  const victim = (await db.sql<{ id: number }[]>`select id from customers where ref = 'C-SLASH'`)[0]!.id;
  const legacy = await makeInvoice(db.sql, victim, { number: '../customers/C-SLASH', dueDate: addDays(today, 30), totalCents: 10_000 });
  await startOrWakeDunning(plain, 'e2e', { ...legacy, customerRef: 'C-SLASH' });

  await page.goto(`${base}/invoices?q=2026`);
  await page.click('a:text-is("2026/123")');
  await page.waitForSelector('h1:has-text("2026/123")');
  await page.fill('form[action$="/payments"] input[name=amount]', '120,50');
  await page.click('form[action$="/payments"] button[type=submit]');
  await page.waitForSelector('p.notice');
  expect(await page.locator('[data-testid=balance]').innerText()).toMatch(/379,50/);
  await page.fill('form[action$="/pause"] input[name=reason]', 'litige en cours');
  await page.click('form[action$="/pause"] button[type=submit]');
  await page.waitForSelector('h1 .badge:has-text("En pause")');

  await page.goto(`${base}/invoices/${encodeURIComponent('../customers/C-SLASH')}`);
  await page.waitForSelector('h1:has-text("../customers/C-SLASH")');
  await page.fill('form[action$="/pause"] input[name=reason]', 'vérification');
  await page.click('form[action$="/pause"] button[type=submit]');
  await page.waitForSelector('h1 .badge:has-text("En pause")');
  const customer = await db.sql`select paused from customers where ref = 'C-SLASH'`;
  expect(customer[0]!.paused).toBe(false);
  const paid = await db.sql<{ number: string; paid: number }[]>`select number, paid_cents::int as paid from invoices where customer_id = ${victim} order by number`;
  expect(paid).toEqual([{ number: '../customers/C-SLASH', paid: 0 }, { number: '2026/123', paid: 12_050 }]);
  expect(dialogs).toEqual([]);
});

it("a customer opens its page from the link, promises a date for one invoice and disputes another, without an account", async () => {
  const customer = await makeCustomer(db.sql, { ref: 'C-E2E-PORTAL', name: 'Client Portail SARL' });
  await makeInvoice(db.sql, customer, { number: 'F-E2E-P1', dueDate: addDays(today, -20), totalCents: 42_000 });
  await makeInvoice(db.sql, customer, { number: 'F-E2E-P2', dueDate: addDays(today, -10), totalCents: 13_000 });
  const link = payLink(base, await payLinkSecret(db.sql), 'portal', customer, today);
  const visitor = await browser.newPage({ viewport: { width: 900, height: 900 } });
  try {
    await visitor.goto(link);
    await visitor.waitForSelector('h2:text("Vos factures à régler")');
    const first = visitor.locator('tr[data-invoice="F-E2E-P1"] + tr');
    await first.locator('summary:text("Je paierai le…")').click();
    await first.locator('input[name=promisedOn]').fill(addDays(today, 12));
    await first.locator('button:text("Enregistrer ma promesse de paiement")').click();
    await visitor.waitForSelector('text=Merci : votre promesse de paiement est enregistrée');
    expect(await visitor.locator('tr[data-invoice="F-E2E-P1"] + tr [data-testid=promised]').innerText()).toContain('420,00');

    const second = visitor.locator('tr[data-invoice="F-E2E-P2"] + tr');
    await second.locator('summary:text("Je conteste cette facture")').click();
    await second.locator('select[name=reason]').selectOption('already_paid');
    await second.locator('textarea[name=message]').fill('Réglé par chèque le 3.');
    await second.locator('button:text("Envoyer ma contestation")').click();
    await visitor.waitForSelector('text=Votre contestation est enregistrée');
    expect(await visitor.locator('tr[data-invoice="F-E2E-P2"] + tr [data-testid=disputed]').count()).toBe(1);
    await visitor.screenshot({ path: `${ARTIFACTS}/e2e-portal.png`, fullPage: true });
  } finally {
    await visitor.close();
  }
  expect(await db.sql`select p.amount_cents, p.recorded_by from payment_promises p join invoices i on i.id = p.invoice_id where i.number = 'F-E2E-P1'`).toEqual([{ amount_cents: 42_000, recorded_by: 'customer' }]);
  expect(await db.sql`select d.reason, d.opened_by from disputes d join invoices i on i.id = d.invoice_id where i.number = 'F-E2E-P2'`).toEqual([{ reason: 'Facture déjà réglée — Réglé par chèque le 3.', opened_by: 'customer' }]);
  expect(dialogs).toEqual([]);
});

it('drops two Factur-X invoices on the import page, checks the preview, confirms, and finds each invoice with its lines and its PDF', async () => {
  const buyer = { name: 'Menuiserie Roux', vat: 'FR40303265045', email: 'compta@roux.example', street: '4 quai Perrache', postalCode: '69002', city: 'Lyon' };
  const lines = [{ name: 'Pose de parquet', quantity: 12.5, price: 48, vatRate: 10 }, { name: 'Déplacement', quantity: 1, price: 60, vatRate: 20 }];
  const files = await Promise.all([['FX-E2E-1', 'EN16931'], ['FX-E2E-2', 'BASIC']].map(async ([number, profile]) => ({
    name: `${number}.pdf`, mimeType: 'application/pdf',
    buffer: Buffer.from(await facturXPdf(profile as 'EN16931' | 'BASIC', { number: number!, issueDate: addDays(today, -40), dueDate: addDays(today, -10), buyer, lines })),
  })));
  await signInAs('fanny@relance.test');
  await page.goto(`${base}/import`);
  await page.setInputFiles('[data-testid=factur-x-form] input[type=file]', files);
  await page.click('[data-testid=factur-x-form] button[type=submit]');
  const preview = page.locator('[data-testid=factur-x-preview]');
  await preview.waitFor();
  expect(await preview.locator('tbody tr').count()).toBe(2);
  expect(await preview.innerText()).toContain('Menuiserie Roux');
  await page.screenshot({ path: `${ARTIFACTS}/e2e-factur-x-preview.png`, fullPage: true });
  await page.click('form[action$="/apply"] button[type=submit]');
  await page.waitForFunction(() => document.querySelector('#progress progress')?.getAttribute('value') === '2');
  await page.goto(`${base}/invoices/FX-E2E-1`);
  // 12.5 × 48.00 at 10 % and 60.00 at 20 %: 660.00 + 72.00 of VAT.
  expect(await page.locator('body').innerText()).toContain('Pose de parquet');
  expect(await db.sql`select i.total_cents, (select pages from invoice_files f where f.invoice_id = i.id) as pages from invoices i where i.number like 'FX-E2E-%' order by i.number`)
    .toEqual([{ total_cents: 73_200, pages: 1 }, { total_cents: 73_200, pages: 1 }]);
  expect(dialogs).toEqual([]);
});
