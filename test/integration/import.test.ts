import { afterAll, expect, it, vi } from 'vitest';
import { dunningWorkflowId } from '../../services/temporal/dunning-client.js';
import { signedInApp } from '../helpers/stack.js';
import { importById } from '../../db/queries/imports.js';
import { checkCsv } from '../../web/import/csv-rows.js';
import { startImportedWorkflows, writeImport } from '../../web/import/apply-import.js';
import { ORIGIN } from '../helpers/admin-session.js';
import { timelineTexts } from '../helpers/database.js';

// One database, one time-skipping Temporal and a signed-in finance user for the whole file.
const bed = await signedInApp('import');
const { env, db, app, session } = bed;
afterAll(() => bed.stop());

const headers = (lang = 'en') => ({ cookie: `${session.cookie}; relance_lang=${lang}`, origin: ORIGIN });

async function upload(kind: string, csv: string, filename = `${kind}.csv`, lang = 'en') {
  const form = new FormData();
  form.set('_csrf', session.csrf);
  form.set('kind', kind);
  form.set('file', new File([csv], filename, { type: 'text/csv' }));
  const res = await app.request('/import', { method: 'POST', headers: headers(lang), body: form });
  return { status: res.status, location: res.headers.get('location'), body: await res.text() };
}
async function apply(location: string) {
  const res = await app.request(`${location}/apply`, {
    method: 'POST', headers: { ...headers(), 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams({ _csrf: session.csrf }).toString(),
  });
  return { status: res.status, body: await res.text() };
}
const errorsOf = (body: string) =>
  [...body.matchAll(/<tr><td class="num">(\d+)<\/td><td><code>([^<]+)<\/code><\/td><td>([^<]+)<\/td><\/tr>/g)].map(
    (m) => `${m[1]} ${m[2]}: ${m[3]!.replaceAll('&quot;', '"').replaceAll('&#39;', "'")}`,
  );
const count = async (table: 'customers' | 'invoices' | 'payments' | 'imports') => (await db.sql`select count(*)::int as n from ${db.sql(table)}`)[0]!.n;

it('imports customers from a spreadsheet export: BOM, semicolons, several e-mails', async () => {
  const csv = '\uFEFFref;name;emails;postal_code;city;language\nC-1;Atelier Dupont;compta@dupont.example, dg@dupont.example;69003;Lyon;fr\nC-2;Boulangerie Martin;;75011;Paris;en\n';
  const checked = await upload('customers', csv);
  expect(checked.status).toBe(303);
  const preview = await (await app.request(checked.location!, { headers: headers() })).text();
  expect(preview).toContain('All 2 rows are valid');
  expect(preview).toContain('compta@dupont.example, dg@dupont.example');
  expect(await count('customers')).toBe(0);
  expect((await apply(checked.location!)).status).toBe(303);
  expect(await db.sql`select ref, emails, language from customers order by ref`).toEqual([
    { ref: 'C-1', emails: ['compta@dupont.example', 'dg@dupont.example'], language: 'fr' },
    { ref: 'C-2', emails: [], language: 'en' },
  ]);
});

it('refuses a file with bad rows, listing each by line and column, and writes nothing', async () => {
  const csv = [
    'number,customer_ref,issue_date,due_date,total',
    'F-1,C-1,2026-10-01,2026-10-31,1250.00',
    'F-2,C-1,2026-10-01,31/10/2026,100',
    'F-3,C-1,2026-10-01,2026-10-31,-5',
    'F-1,C-2,2026-10-01,2026-10-31,10',
    'F 4,C-1,2026-10-01,2026-09-30,10',
  ].join('\n');
  const importsBefore = await count('imports');
  const res = await upload('invoices', csv);
  expect(res.status).toBe(422);
  expect(res.body).toContain('File refused: 5 errors. Nothing was written.');
  expect(errorsOf(res.body)).toEqual([
    '3 due_date: must be a calendar date written YYYY-MM-DD',
    '4 total: an amount above zero such as 1250.00',
    '5 number: repeats line 2',
    '6 number: letters, digits and . _ / : - only, 64 at most',
    '6 due_date: is before issueDate',
  ]);
  // A French reader reads each row's problem in French.
  expect(errorsOf((await upload('invoices', csv, 'factures.csv', 'fr')).body)).toEqual([
    '3 due_date: une date du calendrier écrite AAAA-MM-JJ',
    '4 total: un montant supérieur à zéro, par exemple 1250,00',
    '5 number: répète la ligne 2',
    '6 number: lettres, chiffres et . _ / : - seulement, 64 au plus',
    "6 due_date: est avant la date d'émission",
  ]);
  expect(await count('imports')).toBe(importsBefore);
  expect(await count('invoices')).toBe(0);

  const columns = await upload('invoices', 'number;client;total\nF-1;C-1;10\n');
  expect(errorsOf(columns.body)).toEqual([
    '1 customer_ref: missing column', '1 issue_date: missing column',
    '1 client: unknown column; expected number, customer_ref, issue_date, total, due_date, payment_terms, currency, status, sent_at, line_label, line_quantity, line_unit_price, line_vat_rate',
  ]);
});

it('writes all rows or none: one unknown customer refuses the whole file at confirmation', async () => {
  const checked = await upload('invoices', 'number,customer_ref,issue_date,due_date,total\nF-10,C-1,2026-10-01,2026-10-31,100\nF-11,C-404,2026-10-01,2026-10-31,100\n');
  const res = await apply(checked.location!);
  expect(errorsOf(res.body)).toEqual(['3 customer_ref: no customer "C-404": import the customers first']);
  expect(await count('invoices')).toBe(0);
  expect((await db.sql`select status from imports where id = ${Number(checked.location!.split('/').at(-1))}`)[0]!.status).toBe('checked');
});

it('starts a workflow for every imported invoice and shows the progress', async () => {
  const checked = await upload('invoices', 'number;customer_ref;issue_date;due_date;total;currency;sent_at\nF-20;C-1;2026-10-01;2099-10-31;1 250,50;EUR;2026-10-02\nF-21;C-2;2026-10-01;2099-11-30;99;EUR;\n');
  expect((await apply(checked.location!)).status).toBe(303);
  expect(await db.sql`select number, total_cents from invoices order by number`).toEqual([
    { number: 'F-20', total_cents: 125_050 },
    { number: 'F-21', total_cents: 9_900 },
  ]);
  // The day the invoice itself went out is on its timeline (source 001's "document sent").
  expect(await timelineTexts(db.sql, 'document_sent')).toEqual(['Invoice sent to the customer on 2 October 2026']);
  expect(await timelineTexts(db.sql, 'document_sent', undefined, 'fr')).toEqual(['Facture envoyée au client le 2 octobre 2026']);
  const id = Number(checked.location!.split('/').at(-1));
  await vi.waitFor(async () => expect((await db.sql`select workflows_done from imports where id = ${id}`)[0]!.workflows_done).toBe(2), { timeout: 10_000 });
  const page = await (await app.request(checked.location!, { headers: headers() })).text();
  expect(page).toContain('Workflows started or woken: 2 / 2');
  expect(page).not.toContain('hx-trigger="every 1s"');
  for (const row of await db.sql<{ id: number }[]>`select id from invoices`) {
    expect((await env.client.workflow.getHandle(dunningWorkflowId(row.id)).describe()).status.name).toBe('RUNNING');
  }
  // Applying twice is refused.
  expect(errorsOf((await apply(checked.location!)).body)).toEqual(['1 file: this file was already imported']);
});

it('records imported payments once, even when the same file is imported again', async () => {
  const csv = 'invoice_number,amount,paid_on,method\nF-21,99.00,2026-11-02,transfer\nF-20,250.50,2026-11-02,cheque\n';
  for (let i = 0; i < 2; i++) {
    const checked = await upload('payments', csv);
    expect((await apply(checked.location!)).status).toBe(303);
  }
  expect(await db.sql`select number, paid_cents, status from invoices order by number`).toEqual([
    { number: 'F-20', paid_cents: 25_050, status: 'open' },
    { number: 'F-21', paid_cents: 9_900, status: 'paid' },
  ]);
  expect(await count('payments')).toBe(2);
});

it('imports SEPA mandates with customers, checked like the customer page, all or nothing', async () => {
  const header = 'ref;name;iban;bic;mandate_reference;mandate_signed_on;sequence';
  const bad = await upload('customers', `${header}\nC-M1;Garage Un;FR76 3000 6000 0112 3456 7890 180;AGRIFRPP;RUM-M1;2025-02-01;FRST\nC-M2;Garage Deux;DE89370400440532013000;;RUM-M2;2025-02-30;RCUR\n`);
  expect(errorsOf(bad.body)).toEqual(['2 iban: not a valid IBAN (country, check digits and length)', '3 mandate_signed_on: a date YYYY-MM-DD']);

  const twice = await upload('customers', `${header}\nC-M1;Garage Un;FR7630006000011234567890189;AGRIFRPP;RUM-SAME;2025-02-01;FRST\nC-M2;Garage Deux;DE89370400440532013000;;RUM-SAME;2025-02-03;RCUR\n`);
  expect(errorsOf((await apply(twice.location!)).body)).toEqual(["3 mandate_reference: already another customer's mandate"]);
  expect(await db.sql`select ref from customers where ref like 'C-M%'`).toEqual([]);

  const good = await upload('customers', `${header}\nC-M1;Garage Un;FR7630006000011234567890189;AGRIFRPP;RUM-M1;2025-02-01;FRST\nC-M2;Garage Deux;DE89370400440532013000;;RUM-M2;2025-02-03;RCUR\n`);
  expect((await apply(good.location!)).status).toBe(303);
  expect(await db.sql`select c.ref, m.iban, m.bic, m.holder, m.reference, m.sequence from mandates m join customers c on c.id = m.customer_id order by c.ref`).toEqual([
    { ref: 'C-M1', iban: 'FR7630006000011234567890189', bic: 'AGRIFRPP', holder: 'Garage Un', reference: 'RUM-M1', sequence: 'FRST' },
    { ref: 'C-M2', iban: 'DE89370400440532013000', bic: null, holder: 'Garage Deux', reference: 'RUM-M2', sequence: 'RCUR' },
  ]);
});

/** An import written as its confirmation does, whose starts the test then runs itself. */
async function writtenImport(csv: string) {
  const checked = await upload('invoices', csv);
  const id = Number(checked.location!.split('/').at(-1));
  const record = (await importById(db.sql, id))!;
  const rows = checkCsv('invoices', record.content);
  if (!rows.ok) throw new Error('the file was refused');
  const written = await writeImport(db.sql, record, rows.parsed, 'test');
  if (!written.ok) throw new Error('the rows were refused');
  return { id, path: checked.location!, invoices: written.invoices };
}
const pageOf = async (path: string) => (await app.request(path, { headers: headers() })).text();

it('stops the starts of an import when asked: the invoices not reached are paused with the reason, and the page says so', async () => {
  const { id, path, invoices } = await writtenImport('number;customer_ref;issue_date;due_date;total\nF-30;C-1;2026-10-01;2099-10-31;10\nF-31;C-2;2026-10-01;2099-10-31;20\n');
  expect(await pageOf(path)).toContain('data-testid="cancel-import"');
  const stop = await app.request(`${path}/cancel`, { method: 'POST', headers: { ...headers(), 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams({ _csrf: session.csrf }).toString() });
  expect(stop.status).toBe(303);
  expect(await pageOf(path)).toContain('Stop asked by');

  await startImportedWorkflows({ sql: db.sql, temporal: env.client, taskQueue: 'import' }, id, invoices);
  const page = await pageOf(path);
  expect(page).toMatch(/data-testid="import-stopped">Stopped by finance-\w+@relance.test: the invoices the starts had not reached are paused until resumed/);
  expect(page).not.toContain('hx-trigger="every 1s"');
  expect(page).not.toContain('data-testid="cancel-import"');
  expect(await db.sql`select number, paused, pause_reason as "pauseReason" from invoices where number in ('F-30', 'F-31') order by number`).toEqual(
    ['F-30', 'F-31'].map((number) => ({ number, paused: true, pauseReason: expect.stringMatching(new RegExp(`^import #${id} cancelled by finance-\\w+@relance.test before its workflow started$`)) })),
  );
  for (const inv of invoices) await expect(env.client.workflow.getHandle(dunningWorkflowId(inv.id)).describe()).rejects.toThrow(/not found/i);
});

it('shows starts that failed, or that a restart cut short, as stopped with what happens next, not as a bar moving forever', async () => {
  const failed = await writtenImport('number;customer_ref;issue_date;due_date;total\nF-40;C-1;2026-10-01;2099-10-31;10\n');
  // A task queue the engine refuses: the starts fail on the first invoice.
  await expect(startImportedWorkflows({ sql: db.sql, temporal: env.client, taskQueue: '' }, failed.id, failed.invoices)).rejects.toThrow();
  const page = await pageOf(failed.path);
  expect(page).toMatch(/data-testid="import-failed">Starts interrupted \(.+\): the repair pass starts the remaining invoices/);
  expect(page).not.toContain('hx-trigger="every 1s"');

  const cut = await writtenImport('number;customer_ref;issue_date;due_date;total\nF-41;C-1;2026-10-01;2099-10-31;10\n');
  expect(await pageOf(cut.path)).toContain('hx-trigger="every 1s"');
  // The web server died after its last note, two minutes ago.
  await db.sql`update imports set workflows_noted_at = now() - interval '2 minutes' where id = ${cut.id}`;
  const cutPage = await pageOf(cut.path);
  expect(cutPage).toContain('data-testid="import-failed">Starts cut short by a restart of the web server');
  expect(cutPage).not.toContain('hx-trigger="every 1s"');
});

it("imports an invoice's lines, one row per line with the invoice's columns repeated, and refuses lines that do not make its total", async () => {
  await db.sql`insert into customers (ref, name) values ('C-LINES', 'Atelier Lignes')`;
  const header = 'number;customer_ref;issue_date;due_date;total;line_label;line_quantity;line_unit_price;line_vat_rate\n';
  const bad = await upload('invoices', `${header}F-L1;C-LINES;2026-10-01;2099-10-31;100;Conseil;1;100;20\nF-L1;C-2;2026-10-01;2099-10-31;100;Conseil;1;100;20\nF-L2;C-LINES;2026-10-01;2099-10-31;120;Conseil;abc;100;120\n`, 'bad-lines.csv', 'fr');
  expect(errorsOf(bad.body).sort()).toEqual([
    '2 total: les lignes font 240,00 TTC, et non 100,00',
    '3 customer_ref: diffère de la ligne 2, la première de cette facture',
    '4 line_quantity: doit être un nombre',
    '4 line_vat_rate: de 0 à 100',
  ]);
  expect((await db.sql`select count(*)::int as n from invoices where number in ('F-L1', 'F-L2')`)[0]!.n).toBe(0);

  const checked = await upload('invoices', `${header}F-L0;C-LINES;2026-10-01;2099-10-31;1 233,87;Prestation de conseil (jour);1,5;650,33;20\nF-L0;C-LINES;2026-10-01;2099-10-31;1 233,87;Ouvrages et documentation;3;19,99;5,5\n`);
  expect((await apply(checked.location!)).status).toBe(303);
  expect(await db.sql`select l.position, l.label, l.quantity_milli, l.unit_price_cents, l.vat_rate_bp from invoice_lines l join invoices i on i.id = l.invoice_id where i.number = 'F-L0' order by position`).toEqual([
    { position: 1, label: 'Prestation de conseil (jour)', quantity_milli: 1500, unit_price_cents: 65_033, vat_rate_bp: 2000 },
    { position: 2, label: 'Ouvrages et documentation', quantity_milli: 3000, unit_price_cents: 1_999, vat_rate_bp: 550 },
  ]);
  // No worker polls this file's queue: the engine describes the run, but nobody answers its state.
  const { id } = (await db.sql<{ id: number }[]>`select id from invoices where number = 'F-L0'`)[0]!;
  await vi.waitFor(() => env.client.workflow.getHandle(dunningWorkflowId(id)).describe(), { timeout: 10_000 });
  const page = await (await app.request('/invoices/F-L0', { headers: headers('fr') })).text();
  expect(page).toContain('data-testid="invoice-lines"');
  expect(page).toMatch(/TVA 5,5\s%\ssur 59,97\s€<\/th><td class="num">3,30\s€/);
  expect(page).toContain('<strong>En cours</strong>');
  expect(page).toContain('data-testid="workflow-state-unanswered">Son état détaillé n&#39;a pas répondu à temps');
  expect(page).not.toContain('data-testid="workflow-unavailable"');
});

it('imports invoices without a due date through the payment terms they name, refusing terms the settings do not have', async () => {
  const unknown = await upload('invoices', 'number;customer_ref;issue_date;total;payment_terms\nF-PT1;C-LINES;2026-11-10;100;Comptant\n');
  expect(errorsOf((await apply(unknown.location!)).body)).toEqual(['2 payment_terms: no payment terms "Comptant" in the settings']);
  const checked = await upload('invoices', 'number;customer_ref;issue_date;total;payment_terms\nF-PT1;C-LINES;2026-11-10;1 000;30 % à la commande, solde à 30 jours fin de mois\nF-PT2;C-LINES;2026-11-10;100;45 jours fin de mois\n');
  expect((await apply(checked.location!)).status).toBe(303);
  expect(await db.sql`select number, due_date as "dueDate", (select count(*)::int from installments s where s.invoice_id = i.id) as installments from invoices i where number like 'F-PT%' order by number`).toEqual([
    { number: 'F-PT1', dueDate: '2026-12-31', installments: 2 },
    { number: 'F-PT2', dueDate: '2026-12-31', installments: 0 },
  ]);
});
