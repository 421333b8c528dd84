import { PDFDocument, StandardFonts } from 'pdf-lib';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createResendMailer } from '../../services/mail/resend-mailer.js';
import { createReminderActivities } from '../../activities/reminders.js';
import { documentById } from '../../db/queries/documents.js';
import { markLettersPrinted } from '../../db/queries/reminders.js';
import { upsertInvoice } from '../../db/queries/invoices.js';
import { recordPayment } from '../../db/queries/payments.js';
import { addDays } from '../../workflows/schedule/calendar-date.js';
import { localDate } from '../../workflows/schedule/zoned-time.js';
import { formatDate, formatMoney } from '../../services/format.js';
import { lateCharges } from '../../workflows/schedule/late-charges.js';
import { testApp } from '../helpers/stack.js';
import { adminBrowser, ORIGIN, signIn } from '../helpers/admin-session.js';
import { freshDatabase, timelineTexts } from '../helpers/database.js';
import { makeCustomer, makeInvoice } from '../helpers/fixtures.js';
import { testPdfRenderer } from '../helpers/pdf.js';
import { pdfLayout, pdfPages } from '../helpers/pdf-text.js';
import { startResendServer } from '../helpers/resend-server.js';
import { Client } from '@temporalio/client';

const pdf = testPdfRenderer();
const TOKEN = 'l'.repeat(32);
let db: Awaited<ReturnType<typeof freshDatabase>>;
let resend: Awaited<ReturnType<typeof startResendServer>>;
let app: ReturnType<typeof testApp>;
let reminders: ReturnType<typeof createReminderActivities>;
const overdue = addDays(localDate(Date.now(), 'Europe/Paris'), -20);

beforeAll(async () => {
  [db, resend] = await Promise.all([freshDatabase(), startResendServer()]);
  // The PDF upload never reaches Temporal: a client that is never connected will do.
  app = testApp(db.sql, new Client(), 'letters', { apiToken: TOKEN });
  reminders = createReminderActivities({ sql: db.sql, mailer: createResendMailer({ apiKey: resend.apiKey, baseUrl: resend.baseUrl }), pdf, defaultFrom: 'R <r@test.example>', publicUrl: ORIGIN });
});
afterAll(async () => {
  await pdf.close();
  await resend?.close();
  await db?.drop();
});

async function billingPdf(text: string, pages = 2): Promise<Uint8Array> {
  const doc = await PDFDocument.create();
  const font = await doc.embedFont(StandardFonts.Helvetica);
  for (let i = 1; i <= pages; i++) doc.addPage().drawText(`${text} page ${i}`, { x: 50, y: 700, size: 14, font });
  return doc.save();
}
const upload = (number: string, body: Uint8Array | string) =>
  app.request(`/api/v1/invoices/${number}/pdf`, { method: 'PUT', headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/pdf' }, body: new Blob([body as BlobPart]) });

it("refuses a file that is not a PDF, naming the body", async () => {
  const customer = await makeCustomer(db.sql);
  await makeInvoice(db.sql, customer, { number: 'F-NOTPDF', dueDate: overdue });
  const res = await upload('F-NOTPDF', 'hello, not a pdf');
  expect(res.status).toBe(422);
  expect(await res.json()).toMatchObject({ problems: [{ field: 'body', message: 'is not a readable PDF' }] });
  expect((await db.sql`select count(*)::int as n from invoice_files`)[0]!.n).toBe(0);
});

it("puts the billing system's own PDF, stamped, behind the letter and in the e-mail", async () => {
  const customer = await makeCustomer(db.sql, { language: 'en', name: 'Harbour Supplies Ltd' });
  const invoice = await makeInvoice(db.sql, customer, { number: 'F-BILLING', dueDate: overdue });
  expect((await upload('F-BILLING', await billingPdf('ERP INVOICE F-BILLING'))).status).toBe(204);

  const letter = await reminders.performReminder({ invoiceId: invoice.id, level: 1, actor: 'system', note: null, at: Date.now(), channel: 'letter' });
  expect(letter).toMatchObject({ status: 'prepared', level: 1 });
  const [doc] = await db.sql<{ id: number }[]>`select id from documents`;
  const stored = (await documentById(db.sql, doc!.id))!;
  expect(stored.pages).toBe(3);
  const pages = await pdfPages(stored.content);
  expect(pages[0]).toContain('Harbour Supplies Ltd');
  expect(pages[1]).toContain('ERP INVOICE F-BILLING page 1');
  expect(pages[1]).toContain('REMINDER');
  expect(pages[2]).toContain('ERP INVOICE F-BILLING page 2');
  expect(pages[2]).not.toContain('REMINDER');

  // The letter counts once downloaded; until then the invoice holds.
  expect(await reminders.performReminder({ invoiceId: invoice.id, level: 2, actor: 'system', note: null, at: Date.now() })).toMatchObject({ status: 'skipped', hold: 'letter_to_print' });
  await markLettersPrinted(db.sql, { reminderId: (await db.sql<{ id: number }[]>`select id from reminders where level = 1`)[0]!.id }, 'test');
  const email = await reminders.performReminder({ invoiceId: invoice.id, level: 2, actor: 'system', note: null, at: Date.now(), channel: 'email', attachPdf: true });
  expect(email).toMatchObject({ status: 'sent' });
  const sent = [...resend.delivered.values()].at(-1)!.body as unknown as { attachments: { filename: string; content: string }[] };
  expect(sent.attachments.map((a) => a.filename)).toEqual(['F-BILLING.pdf']);
  const attached = await pdfPages(new Uint8Array(Buffer.from(sent.attachments[0]!.content, 'base64')));
  expect(attached).toHaveLength(2);
  expect(attached[0]).toContain('ERP INVOICE F-BILLING page 1');
  expect(attached[0]).toContain('REMINDER');
});

it('renders the invoice copy from its data when the billing system sent no PDF', async () => {
  const customer = await makeCustomer(db.sql);
  const invoice = await makeInvoice(db.sql, customer, { number: 'F-DATA', dueDate: overdue, totalCents: 98_765 });
  await reminders.performReminder({ invoiceId: invoice.id, level: 1, actor: 'system', note: null, at: Date.now(), channel: 'email', attachPdf: true });
  const sent = [...resend.delivered.values()].at(-1)!.body as unknown as { attachments: { content: string }[] };
  const [copy] = await pdfPages(new Uint8Array(Buffer.from(sent.attachments[0]!.content, 'base64')));
  expect(copy).toContain('Copie de la facture F-DATA');
  expect(copy).toMatch(/987,65\s€/);
  expect(copy).toContain('RAPPEL');
  // The outbox says which e-mail carried the invoice.
  const session = await signIn(app, db.sql);
  const outbox = await (await app.request('/outbox?status=sent', { headers: { cookie: session.cookie } })).text();
  const row = outbox.split('<tr').find((tr) => tr.includes('/invoices/F-DATA'))!;
  expect(row).toContain('data-testid="with-pdf">📎 facture PDF jointe');
});

it("prints the company's legal identity at the foot of the letter, of the invoice copy and of the e-mail", async () => {
  await db.sql`update settings set company_legal_form = 'SAS', company_capital = '10 000 €', company_siret = '12345678900017', company_rcs = 'Lyon', company_vat = 'FR32123456789'`;
  try {
    const customer = await makeCustomer(db.sql);
    const invoice = await makeInvoice(db.sql, customer, { number: 'F-LEGAL', dueDate: overdue });
    await reminders.performReminder({ invoiceId: invoice.id, level: 1, actor: 'system', note: null, at: Date.now(), channel: 'letter' });
    const byEmail = await makeInvoice(db.sql, customer, { number: 'F-LEGAL-2', dueDate: overdue });
    await reminders.performReminder({ invoiceId: byEmail.id, level: 1, actor: 'system', note: null, at: Date.now(), channel: 'email' });
    const [doc] = await db.sql<{ id: number }[]>`select d.id from documents d join reminders r on r.id = d.reminder_id where r.invoice_id = ${invoice.id}`;
    const [letter, copy] = await pdfPages((await documentById(db.sql, doc!.id))!.content);
    const mentions = /SAS au capital de 10\s000\s€ · SIRET 123 456 789 00017 · RCS Lyon · TVA FR32123456789/;
    expect(letter!.replace(/\s+/g, ' ')).toMatch(mentions);
    expect(copy!.replace(/\s+/g, ' ')).toMatch(mentions);
    const sent = [...resend.delivered.values()].at(-1)!.body as unknown as { html: string };
    expect(sent.html).toMatch(mentions);
  } finally {
    await db.sql`update settings set company_legal_form = '', company_capital = '', company_siret = '', company_rcs = '', company_vat = ''`;
  }
});

it("stamps the formal notice's copy inside the page, below its amounts, where nothing is written", async () => {
  const customer = await makeCustomer(db.sql);
  const invoice = await makeInvoice(db.sql, customer, { number: 'F-STAMP', dueDate: overdue, totalCents: 1_234_567 });
  expect(await reminders.performReminder({ invoiceId: invoice.id, level: 4, actor: 'system', note: null, at: Date.now(), channel: 'letter' })).toMatchObject({ status: 'prepared' });
  const [doc] = await db.sql<{ id: number }[]>`select d.id from documents d join reminders r on r.id = d.reminder_id where r.invoice_id = ${invoice.id}`;
  const [, copy] = await pdfLayout((await documentById(db.sql, doc!.id))!.content);
  const stamp = copy!.items.filter((i) => i.size > 20);
  expect(stamp.map((i) => i.str).join('').replace(/\s/g, '')).toBe('MISEENDEMEURE');
  // On one line: every part starts on the first part's baseline (a stamp wrapped in two lines is not a stamp).
  const [first] = stamp;
  const along = { x: first!.to.x - first!.from.x, y: first!.to.y - first!.from.y };
  const length = Math.hypot(along.x, along.y);
  for (const part of stamp) {
    const off = Math.abs((part.from.x - first!.from.x) * along.y - (part.from.y - first!.from.y) * along.x) / length;
    expect(off, part.str).toBeLessThan(2);
  }
  const xs = stamp.flatMap((i) => [i.from.x, i.to.x]);
  const ys = stamp.flatMap((i) => [i.from.y, i.to.y]);
  const size = Math.max(...stamp.map((i) => i.size));
  // Inside the printable page (A4, 20 mm margins), border and padding included (about half the font size).
  const margin = (20 / 25.4) * 72;
  expect(Math.min(...xs) - size / 2).toBeGreaterThan(margin - 1);
  expect(Math.max(...xs) + size / 2).toBeLessThan(copy!.width - margin + 1);
  // Below every amount of the copy, with room for its border.
  const amounts = copy!.items.filter((i) => i.str.includes('€') && i.size <= 20);
  expect(amounts.length).toBeGreaterThan(0);
  expect(Math.max(...ys) + size * 1.2).toBeLessThan(Math.min(...amounts.map((i) => i.from.y)));
});

it('says in each text how many reminders went before and when, never more than were sent', async () => {
  const customer = await makeCustomer(db.sql);
  const invoice = await makeInvoice(db.sql, customer, { number: 'F-HISTORY', dueDate: overdue });
  const body = () => ([...resend.delivered.values()].at(-1)!.body as unknown as { html: string }).html;
  const first = await reminders.performReminder({ invoiceId: invoice.id, level: 1, actor: 'system', note: null, at: Date.now() });
  expect(first).toMatchObject({ status: 'sent' });
  // A level 3 forced after a single reminder: it names that one, by its date.
  expect(await reminders.performReminder({ invoiceId: invoice.id, level: 3, actor: 'alice', note: null, at: Date.now() })).toMatchObject({ status: 'sent' });
  const sentOn = formatDate(localDate(Date.now(), 'Europe/Paris'), 'fr');
  expect(body()).toContain(`Malgré notre relance du ${sentOn}, la facture <strong>F-HISTORY</strong> reste impayée.`);
  expect(body()).not.toContain('deux précédentes');
  // The formal notice after two: both, by date.
  expect(await reminders.performReminder({ invoiceId: invoice.id, level: 4, actor: 'alice', note: null, at: Date.now() })).toMatchObject({ status: 'sent' });
  expect(body()).toContain(`Malgré nos relances des ${sentOn} et ${sentOn}, la facture`);
});

it('claims the installments due, not the whole invoice, and shows each installment paid, due or to come on the copy', async () => {
  const customer = await makeCustomer(db.sql);
  const today = localDate(Date.now(), 'Europe/Paris');
  const { id } = await upsertInvoice(db.sql, {
    number: 'F-SCHEDULE', customerId: customer, issueDate: addDays(today, -50), dueDate: addDays(today, 30), currency: 'EUR', totalCents: 1_272_090, status: 'open',
    installments: [
      { seq: 1, dueDate: addDays(today, -40), amountCents: 100_000, label: 'Commande' },
      { seq: 2, dueDate: addDays(today, -20), amountCents: 281_627, label: 'Acompte' },
      { seq: 3, dueDate: addDays(today, 30), amountCents: 890_463, label: 'Solde' },
    ],
  });
  await recordPayment(db.sql, { invoiceId: id, amountCents: 100_000, currency: 'EUR', paidOn: addDays(today, -40), method: 'transfer', source: 'api', externalId: null, actor: 'test' });
  expect(await reminders.performReminder({ invoiceId: id, level: 4, actor: 'alice', note: null, at: Date.now(), channel: 'letter' })).toMatchObject({ status: 'prepared' });
  const [doc] = await db.sql<{ id: number }[]>`select d.id from documents d join reminders r on r.id = d.reminder_id where r.invoice_id = ${id}`;
  const [letter, copy] = await pdfPages((await documentById(db.sql, doc!.id))!.content);
  // The formal notice demands the overdue deposit, names it, and leaves the balance to its own date.
  expect(letter).toMatch(/pour un montant de 2\s816,27\s€/);
  expect(letter).not.toMatch(/12\s720,90/);
  expect(letter).toMatch(new RegExp(`Acompte : 2\\s816,27\\s€, échéance du ${formatDate(addDays(today, -20), 'fr')}`));
  expect(letter).toMatch(/Le solde de 8\s904,63\s€ reste à échoir/);
  // The order was paid on its day: nothing late to thank for.
  expect(letter).not.toContain('Nous avons bien reçu');
  // The copy lists the schedule: the order paid, the deposit due, the balance to come.
  expect(copy).toContain('Échéancier');
  expect(copy).toMatch(/Commande.*1\s000,00\s€.*1\s000,00\s€.*0,00\s€.*Payée/s);
  expect(copy).toMatch(/Acompte.*2\s816,27\s€.*0,00\s€.*2\s816,27\s€.*Échue/s);
  expect(copy).toMatch(/Solde.*8\s904,63\s€.*0,00\s€.*8\s904,63\s€.*À échoir/s);
  expect(copy).toMatch(/Dont réclamé par ce courrier\s*2\s816,27\s€/);
});

it('posts the formal notice as a registered letter: the amount with its late charges, the deadline, what follows, dated from the company\'s town', async () => {
  const today = localDate(Date.now(), 'Europe/Paris');
  await db.sql`update settings set company_address = '1 place Bellecour, 69002 Lyon'`;
  await db.sql`update policies set interest_rule = 'fixed', interest_bp = 1215, recovery_indemnity = true, notice_days = 10 where is_default`;
  try {
    const customer = await makeCustomer(db.sql);
    const invoice = await makeInvoice(db.sql, customer, { number: 'F-NOTICE', dueDate: overdue, totalCents: 250_000 });
    expect(await reminders.performReminder({ invoiceId: invoice.id, level: 4, actor: 'system', note: null, at: Date.now(), channel: 'letter' })).toMatchObject({ status: 'prepared' });
    const [doc] = await db.sql<{ id: number }[]>`select d.id from documents d join reminders r on r.id = d.reminder_id where r.invoice_id = ${invoice.id}`;
    const content = (await documentById(db.sql, doc!.id))!.content;
    const [letter] = (await pdfPages(content)).map((p) => p.replace(/\s+/g, ' '));
    const money = (cents: number) => formatMoney(cents, 'EUR', 'fr').replace(/\s+/g, ' ');
    const charges = lateCharges({ dueDate: overdue, totalCents: 250_000, payments: [], asOf: today, rule: { kind: 'fixed', rateBp: 1215 }, referenceRates: [], indemnity: true });
    expect(charges.interestCents).toBeGreaterThan(0);
    expect(letter).toContain(`Lyon, le ${formatDate(today, 'fr')}`);
    expect(letter).toContain('LETTRE RECOMMANDÉE AVEC ACCUSÉ DE RÉCEPTION');
    expect(letter).toContain('Objet : Mise en demeure de payer : facture n° F-NOTICE');
    expect(letter).toContain(`pour un montant de ${money(250_000)}`);
    expect(letter).toContain(`les pénalités de retard au taux annuel de 12,15 %, soit ${money(charges.interestCents)}`);
    expect(letter).toContain(`l'indemnité forfaitaire pour frais de recouvrement de ${money(4_000)}`);
    expect(letter).toContain(`la somme de ${money(250_000 + charges.interestCents + 4_000)} dans un délai de 10 jours à compter de la réception`);
    expect(letter).toContain("injonction de payer");
    expect(letter).toContain('article 1344 du Code civil');
    expect(letter).toContain(`F-NOTICE ${formatDate(overdue, 'fr')}`.replace(/\s+/g, ' '));

    // Laid out as a French letter: address in the window, then place and date, the registered mention, the subject, the text, the signature on the right.
    const [page] = await pdfLayout(content);
    const top = (text: string) => page!.items.find((i) => i.str.includes(text))!;
    const order = ['Atelier Dupont SARL', 'Lyon, le', 'LETTRE RECOMMANDÉE', 'Objet :', 'Madame, Monsieur,'].map((s) => top(s).from.y);
    expect(order).toEqual([...order].sort((a, b) => b - a));
    expect(top('Le service comptabilité').from.x).toBeGreaterThan(page!.width / 2);

    // The e-mail of the same step gives the last day to pay.
    const byEmail = await makeInvoice(db.sql, customer, { number: 'F-NOTICE-2', dueDate: overdue });
    await reminders.performReminder({ invoiceId: byEmail.id, level: 4, actor: 'system', note: null, at: Date.now(), channel: 'email' });
    const html = ([...resend.delivered.values()].at(-1)!.body as unknown as { html: string }).html;
    expect(html).toContain(`au plus tard le ${formatDate(addDays(today, 10), 'fr')}, soit sous 10 jours`);
  } finally {
    await db.sql`update policies set interest_rule = 'none', recovery_indemnity = false, notice_days = 8 where is_default`;
    await db.sql`update settings set company_address = ''`;
  }
});

it('words every default letter as a letter, not as the e-mail', async () => {
  const customer = await makeCustomer(db.sql);
  for (const level of [1, 2, 3]) {
    const invoice = await makeInvoice(db.sql, customer, { number: `F-WORDED-${level}`, dueDate: overdue });
    await reminders.performReminder({ invoiceId: invoice.id, level, actor: 'system', note: null, at: Date.now(), channel: 'letter' });
    const [doc] = await db.sql<{ id: number }[]>`select d.id from documents d join reminders r on r.id = d.reminder_id where r.invoice_id = ${invoice.id}`;
    const [letter] = (await pdfPages((await documentById(db.sql, doc!.id))!.content)).map((p) => p.replace(/\s+/g, ' '));
    expect(letter).toContain('Madame, Monsieur,');
    expect(letter).toMatch(/Vous en trouverez une copie ci- ?jointe/);
    expect(letter).not.toContain('ce message');
    expect(letter).not.toContain('RECOMMANDÉE AVEC');
  }
});

it('keeps the registered letter number typed on the invoice page, refusing one that is not a number', async () => {
  const session = await signIn(app, db.sql);
  const customer = await makeCustomer(db.sql);
  const invoice = await makeInvoice(db.sql, customer, { number: 'F-TRACKED', dueDate: overdue });
  await reminders.performReminder({ invoiceId: invoice.id, level: 4, actor: 'system', note: null, at: Date.now(), channel: 'letter' });
  const browser = adminBrowser(app, session);
  const page = await browser.get('/invoices/F-TRACKED');
  expect(page).toContain('data-testid="tracking-number"');
  const refused = await browser.post('/invoices/F-TRACKED/tracking', { level: '4', trackingNumber: 'n° ?' });
  expect(refused).toContain('Refused: Registered letter number: a tracking number of 8 to 20 letters and digits');
  expect(await browser.post('/invoices/F-TRACKED/tracking', { level: '2', trackingNumber: '1A12345678901' })).toContain('Refused: Level: no letter at this level');
  expect((await db.sql`select tracking_number from reminders where invoice_id = ${invoice.id}`)[0]!.tracking_number).toBeNull();
  const recorded = await browser.post('/invoices/F-TRACKED/tracking', { level: '4', trackingNumber: '1a 123 456 7890 1' });
  expect(recorded).toContain('Mise en demeure: sent by registered letter with acknowledgement of receipt, no. 1A12345678901');
  expect(await timelineTexts(db.sql, 'tracking_recorded', invoice.id, 'fr')).toEqual(['Mise en demeure : envoyée en recommandé avec accusé de réception, n° 1A12345678901']);
  expect(recorded).toContain('value="1A12345678901"');
  expect((await db.sql`select tracking_number from reminders where invoice_id = ${invoice.id}`)[0]!.tracking_number).toBe('1A12345678901');
});

it("shows the invoice's lines and the VAT of each rate on its copy, from lines the API refuses unless they make the total", async () => {
  await makeCustomer(db.sql, { ref: 'C-LINES' });
  const put = (body: object) =>
    app.request('/api/v1/invoices/F-LINES', { method: 'PUT', headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' }, body: JSON.stringify(body) });
  const lines = [
    { label: 'Prestation de conseil (jour)', quantity: 1.5, unitPriceCents: 65_033, vatRate: 20 },
    { label: 'Ouvrages et documentation', quantity: 3, unitPriceCents: 1_999, vatRate: 5.5 },
  ];
  const invoice = { customerRef: 'C-LINES', issueDate: overdue, dueDate: overdue, currency: 'EUR' };
  const refused = await put({ ...invoice, totalCents: 123_456, lines: [...lines, { label: '', quantity: 0, unitPriceCents: 1.5, vatRate: 120 }] });
  expect(refused.status).toBe(422);
  const fields = ((await refused.json()) as { problems: { field: string }[] }).problems.map((p) => p.field);
  expect(fields).toEqual(expect.arrayContaining(['lines[2].label', 'lines[2].quantity', 'lines[2].unitPriceCents', 'lines[2].vatRate']));
  const mismatch = await put({ ...invoice, totalCents: 123_456, lines });
  expect(await mismatch.json()).toMatchObject({ problems: [{ field: 'lines', message: 'the lines make 123387 cents including VAT, not 123456' }] });
  expect((await db.sql`select count(*)::int as n from invoices where number = 'F-LINES'`)[0]!.n).toBe(0);

  expect((await put({ ...invoice, totalCents: 123_387, lines })).status).toBe(201);
  const [{ id }] = await db.sql<[{ id: number }]>`select id from invoices where number = 'F-LINES'`;
  await reminders.performReminder({ invoiceId: id, level: 1, actor: 'system', note: null, at: Date.now(), channel: 'letter' });
  const [doc] = await db.sql<{ id: number }[]>`select d.id from documents d join reminders r on r.id = d.reminder_id where r.invoice_id = ${id}`;
  const [, copy] = (await pdfPages((await documentById(db.sql, doc!.id))!.content)).map((p) => p.replace(/\s+/g, ' '));
  const money = (cents: number) => formatMoney(cents, 'EUR', 'fr').replace(/\s+/g, ' ');
  // 1,5 × 650,33 = 975,50 and 3 × 19,99 = 59,97, so 1 035,47 HT; VAT 195,10 at 20 % and 3,30 at 5,5 %: 1 233,87 TTC.
  expect(copy).toContain(`Prestation de conseil (jour) 1,5 ${money(65_033)} 20 % ${money(97_550)}`);
  expect(copy).toContain(`Ouvrages et documentation 3 ${money(1_999)} 5,5 % ${money(5_997)}`);
  expect(copy).toContain(`Total HT ${money(103_547)}`);
  expect(copy).toContain(`TVA 20 % sur ${money(97_550)} ${money(19_510)}`);
  expect(copy).toContain(`TVA 5,5 % sur ${money(5_997)} ${money(330)}`);
  expect(copy).toContain(`Montant TTC ${money(123_387)}`);
});

it('lays out every default letter and its copy inside the page, in French and in English, with no text over another', async () => {
  await db.sql`update settings set company_address = '1 place Bellecour, 69002 Lyon', company_legal_form = 'SAS', company_capital = '10 000 €', company_siret = '12345678900017', company_rcs = 'Lyon'`;
  await db.sql`update policies set interest_rule = 'fixed', interest_bp = 1215, recovery_indemnity = true where is_default`;
  try {
    const margin = { x: (20 / 25.4) * 72, y: (18 / 25.4) * 72 };
    for (const language of ['fr', 'en'] as const) {
      const customer = await makeCustomer(db.sql, { language, name: language === 'fr' ? 'Atelier Dupont SARL' : 'Harbour Supplies Ltd' });
      for (const level of [1, 2, 3, 4]) {
        const { id } = await upsertInvoice(db.sql, {
          number: `F-LAYOUT-${language}-${level}`, customerId: customer, issueDate: addDays(overdue, -30), dueDate: overdue, currency: 'EUR', totalCents: 123_387, status: 'open', installments: [],
          lines: [
            { label: 'Prestation de conseil (jour)', quantityMilli: 1500, unitPriceCents: 65_033, vatRateBp: 2000 },
            { label: 'Ouvrages et documentation', quantityMilli: 3000, unitPriceCents: 1_999, vatRateBp: 550 },
          ],
        });
        await reminders.performReminder({ invoiceId: id, level, actor: 'system', note: null, at: Date.now(), channel: 'letter' });
        const [doc] = await db.sql<{ id: number }[]>`select d.id from documents d join reminders r on r.id = d.reminder_id where r.invoice_id = ${id}`;
        const pages = await pdfLayout((await documentById(db.sql, doc!.id))!.content);
        // A letter listing many overdue invoices flows onto a next page; the copy always comes last, on its own page.
        expect(pages.at(-1)!.items.map((i) => i.str).join(' '), `${language} ${level}`).toContain(language === 'fr' ? 'Copie de la facture' : 'Copy of invoice');
        expect(pages.slice(0, -1).every((p) => !p.items.some((i) => i.str.includes(language === 'fr' ? 'Copie de la facture' : 'Copy of invoice'))), `${language} ${level}`).toBe(true);
        for (const [n, page] of pages.entries()) {
          const where = `${language}, level ${level}, page ${n + 1}`;
          const text = page.items.filter((i) => i.size <= 20);
          for (const i of text) {
            expect(Math.min(i.from.x, i.to.x), `${where}: ${i.str}`).toBeGreaterThan(margin.x - 1);
            expect(Math.max(i.from.x, i.to.x), `${where}: ${i.str}`).toBeLessThan(page.width - margin.x + 1);
            expect(i.from.y, `${where}: ${i.str}`).toBeGreaterThan(margin.y - 1);
            expect(i.from.y + 0.75 * i.size, `${where}: ${i.str}`).toBeLessThan(page.height - margin.y + 1);
          }
          // Two pieces of text overlap when their boxes cross by more than a point both ways.
          const box = (i: (typeof text)[number]) => ({ left: Math.min(i.from.x, i.to.x), right: Math.max(i.from.x, i.to.x), bottom: i.from.y - 0.2 * i.size, top: i.from.y + 0.75 * i.size });
          for (const [k, a] of text.entries()) {
            for (const b of text.slice(k + 1)) {
              const [p, q] = [box(a), box(b)];
              const crossing = Math.min(p.right, q.right) - Math.max(p.left, q.left) > 1 && Math.min(p.top, q.top) - Math.max(p.bottom, q.bottom) > 1;
              expect(crossing, `${where}: "${a.str}" over "${b.str}"`).toBe(false);
            }
          }
        }
      }
    }
  } finally {
    await db.sql`update policies set interest_rule = 'none', recovery_indemnity = false where is_default`;
    await db.sql`update settings set company_address = '', company_legal_form = '', company_capital = '', company_siret = '', company_rcs = ''`;
  }
});

it("gives every reminder the customer's own page: a link in the e-mail, a QR code and the address on the letter", async () => {
  const customer = await makeCustomer(db.sql);
  const byEmail = await makeInvoice(db.sql, customer, { number: 'F-PORTAL-MAIL', dueDate: overdue });
  await reminders.performReminder({ invoiceId: byEmail.id, level: 1, actor: 'system', note: null, at: Date.now(), channel: 'email' });
  const html = ([...resend.delivered.values()].at(-1)!.body as unknown as { html: string }).html;
  expect(html).toMatch(new RegExp(`Payez, indiquez une date de paiement ou contestez une facture en ligne : <a href="${ORIGIN}/portal/${customer}/\\d{8}\\.[\\w-]{32}"[^>]*>Votre espace client</a>`));

  const byPost = await makeInvoice(db.sql, customer, { number: 'F-PORTAL-POST', dueDate: overdue });
  await reminders.performReminder({ invoiceId: byPost.id, level: 1, actor: 'system', note: null, at: Date.now(), channel: 'letter' });
  const [doc] = await db.sql<{ id: number }[]>`select d.id from documents d join reminders r on r.id = d.reminder_id where r.invoice_id = ${byPost.id}`;
  const content = (await documentById(db.sql, doc!.id))!.content;
  const [letter] = (await pdfPages(content)).map((p) => p.replace(/\s+/g, ''));
  // The short address, one a reader can type: it opens the same signed page.
  const short = new RegExp(`Votreespaceclient.*(${ORIGIN.replace(/[/.]/g, '\\$&')}/p/${customer}-\\d{8}-[0-9a-f]{16})`).exec(letter!);
  expect(short).not.toBeNull();
  const opened = await app.request(new URL(short![1]!).pathname);
  expect(opened.status).toBe(303);
  expect(opened.headers.get('location')).toMatch(new RegExp(`^${ORIGIN}/portal/${customer}/\\d{8}\\.[\\w-]{32}$`));
});
