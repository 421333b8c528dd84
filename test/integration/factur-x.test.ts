import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { API_TOKEN, signedInApp } from '../helpers/stack.js';
import { ORIGIN } from '../helpers/admin-session.js';
import { brokenBasicPdf, facturXPdf, plainPdf, type Profile, type TestInvoice } from '../helpers/factur-x.js';
import { sepaCandidates } from '../../db/queries/sepa-runs.js';
import { PDFDocument } from 'pdf-lib';

// One database, one time-skipping Temporal and a signed-in finance user for the whole file.
const bed = await signedInApp('factur-x');
const { env, db, app, session } = bed;
afterAll(() => bed.stop());
beforeAll(async () => {
  await db.sql`update settings set company_name = 'Relance Demo SAS', company_siret = '12345678900011', company_vat = 'FR32123456789'`;
});

const buyer = { name: 'Boulangerie Martin SARL', siren: '552100554', vat: 'FR96552100554', email: 'compta@martin.example', street: '12 avenue Jean Jaurès', postalCode: '69007', city: 'Lyon' };
const invoice = (number: string, extra: Partial<TestInvoice> = {}): TestInvoice => ({
  number, issueDate: '2026-11-02', dueDate: '2026-12-02', buyer,
  lines: [{ name: 'Conseil', quantity: 10, price: 100, vatRate: 20 }, { name: 'Livre', quantity: 2, price: 25.5, vatRate: 5.5 }], ...extra,
});

async function post(pdf: Uint8Array) {
  const res = await app.request('/api/v1/invoices/factur-x', { method: 'POST', headers: { authorization: `Bearer ${API_TOKEN}`, 'content-type': 'application/pdf' }, body: Buffer.from(pdf) });
  return { status: res.status, body: (await res.json()) as Record<string, unknown> & { problems?: { field: string; message: string }[] } };
}
const invoiceRow = async (number: string) => (await db.sql`
  select i.total_cents as "totalCents", i.due_date::text as "dueDate", i.issue_date::text as "issueDate", c.ref, c.name, c.siren, c.vat_number as "vatNumber", c.emails, c.city,
         (select count(*)::int from invoice_lines l where l.invoice_id = i.id) as lines, (select pages from invoice_files f where f.invoice_id = i.id) as pages,
         i.paid_cents as "paidCents"
  from invoices i join customers c on c.id = i.customer_id where i.number = ${number}`)[0];

describe('POST /api/v1/invoices/factur-x', () => {
  // The first invoice makes the customer; the next ones find it by SIREN or by VAT number.
  it.each<[Profile, number]>([['EN16931', 2], ['EXTENDED', 2], ['BASIC', 2], ['MINIMUM', 0]])('reads a %s invoice: the buyer, the total, %i lines and the PDF', async (profile, lines) => {
    const number = `FX-${profile}`;
    if (profile === 'MINIMUM') {
      // MINIMUM carries no due date: the customer's default terms give it.
      const [terms] = await db.sql`insert into payment_terms (name, rule) values ('30 jours', ${db.sql.json({ kind: 'due', rule: { kind: 'days', days: 30 } })}) returning id`;
      await db.sql`update customers set payment_terms_id = ${terms!.id} where ref = 'SIREN-552100554'`;
    }
    const res = await post(await facturXPdf(profile, invoice(number)));
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    expect(res.body).toMatchObject({ number, customerRef: 'SIREN-552100554' });
    const row = await invoiceRow(number);
    // 10 × 100 + 2 × 25.50 = 1 051.00 before tax; 200.00 + 2.81 VAT.
    expect(row).toMatchObject({
      totalCents: 125381, issueDate: '2026-11-02', dueDate: '2026-12-02', ref: 'SIREN-552100554', name: 'Boulangerie Martin SARL',
      siren: '552100554', vatNumber: 'FR96552100554', emails: ['compta@martin.example'], city: 'Lyon', lines, pages: 1,
    });
  });

  it('refuses a plain PDF and what is not a PDF, saying why', async () => {
    expect((await post(await plainPdf('Facture sans XML'))).body.problems).toEqual([{ field: 'file', message: 'a plain PDF: no Factur-X XML is attached to it' }]);
    expect((await post(new TextEncoder().encode('not a pdf'))).body.problems).toEqual([{ field: 'file', message: 'is not a readable PDF' }]);
  });

  it('refuses hostile attachments before parsing them: a DTD with entities, an XML that inflates past 20 MB', async () => {
    const attach = async (xml: Uint8Array) => {
      const doc = await PDFDocument.load(await plainPdf('x'));
      await doc.attach(xml, 'factur-x.xml', { mimeType: 'text/xml' });
      return doc.save();
    };
    const bomb = '<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">]><rsm:CrossIndustryInvoice>&lol2;</rsm:CrossIndustryInvoice>';
    expect((await post(await attach(new TextEncoder().encode(bomb)))).body.problems).toEqual([{ field: 'file', message: 'the XML declares a DOCTYPE, which an invoice never needs' }]);
    expect((await post(await attach(new Uint8Array(30 * 1024 * 1024).fill(32)))).body.problems).toEqual([{ field: 'file', message: 'carries an attachment larger than 20 MB once uncompressed' }]);
  });

  it('names the element a broken generator left out, and refuses a buyer whose reference is another company', async () => {
    const broken = await post(await brokenBasicPdf(invoice('FX-BROKEN')));
    expect(broken.body.problems).toEqual([{ field: 'ram:SpecifiedLineTradeAgreement', message: 'is missing: the BASIC profile requires it' }]);
    await db.sql`insert into customers (ref, name, siren) values ('SIREN-111222333', 'Autre société', '999888777')`;
    const taken = await post(await facturXPdf('EN16931', invoice('FX-CLASH-2', { buyer: { ...buyer, siren: '111222333', vat: undefined } })));
    expect(taken.body.problems).toEqual([{ field: 'BT-47', message: 'customer SIREN-111222333 has SIREN 999888777, this buyer 111222333' }]);
  });

  it("refuses an invoice whose lines do not make its total, or another company's invoice, writing nothing", async () => {
    const before = (await db.sql`select count(*)::int as n from invoices`)[0]!.n;
    const wrong = await post(await facturXPdf('EN16931', invoice('FX-WRONG', { grossTotalOverride: 1300 })));
    expect(wrong.status).toBe(422);
    expect(wrong.body.problems?.[0]?.field).toBe('BT-112');
    expect(wrong.body.problems?.[0]?.message).toContain('[BR-CO-15]');
    const foreign = await post(await facturXPdf('EN16931', invoice('FX-FOREIGN', { seller: { name: 'Fournisseur SA', siren: '987654321', vat: 'FR55987654321' } })));
    expect(foreign.body.problems).toEqual([{ field: 'BT-30', message: 'issued by Fournisseur SA (SIREN 987654321), not by Relance Demo SAS (SIREN 123456789)' }]);
    const creditNote = await post(await facturXPdf('EN16931', invoice('FX-AVOIR', { typeCode: '381' })));
    expect(creditNote.body.problems?.[0]?.field).toBe('BT-3');
    expect((await db.sql`select count(*)::int as n from invoices`)[0]!.n).toBe(before);
  });

  it('records the direct-debit mandate the invoice names, held back from collections until its signature date is known', async () => {
    const res = await post(await facturXPdf('EN16931', invoice('FX-DEBIT', { directDebit: { iban: 'FR76 3000 6000 0112 3456 7890 189', mandate: 'MANDAT-552' } })));
    expect(res.status).toBe(201);
    expect(await db.sql`select m.iban, m.reference, m.signed_on as "signedOn" from mandates m join customers c on c.id = m.customer_id where c.ref = 'SIREN-552100554'`)
      .toEqual([{ iban: 'FR7630006000011234567890189', reference: 'MANDAT-552', signedOn: null }]);
    const page = await (await app.request('/customers/SIREN-552100554', { headers: { cookie: `${session.cookie}; relance_lang=en` } })).text();
    expect(page).toContain('no direct debit uses it until you give its signature date');
    expect(page).toContain('SIREN 552100554 · VAT FR96552100554');
    const id = Number(res.body.id);
    expect(await sepaCandidates(db.sql, '2026-12-31', [id])).toEqual([]);
    await db.sql`update mandates set signed_on = '2026-01-15' where reference = 'MANDAT-552'`;
    expect(await sepaCandidates(db.sql, '2026-12-31', [id])).toHaveLength(1);
  });

  it('takes the due date, or the installments, from payment terms the settings name as the invoice does (BT-20)', async () => {
    await db.sql`insert into payment_terms (name, rule) values ('Acompte 30 %, solde à 30 jours', ${db.sql.json({
      kind: 'installments', installments: [{ percent: 30, rule: { kind: 'at_order' } }, { percent: 70, rule: { kind: 'days', days: 30 } }],
    })})`;
    const res = await post(await facturXPdf('EN16931', invoice('FX-TERMS', { dueDate: undefined, paymentTermsNote: 'Acompte 30 %, solde à 30 jours' })));
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    expect(await db.sql`select due_date::text as "dueDate", amount_cents as "amountCents" from installments where invoice_id = ${Number(res.body.id)} order by seq`)
      .toEqual([{ dueDate: '2026-11-02', amountCents: 37614 }, { dueDate: '2026-12-02', amountCents: 87767 }]);
  });

  it("starts the invoice's dunning workflow", async () => {
    const res = await post(await facturXPdf('EN16931', invoice('FX-WORKFLOW')));
    expect((await env.client.workflow.getHandle(String(res.body.workflowId)).describe()).status.name).toBe('RUNNING');
  });

  it('records what the invoice says was paid already, once however often it comes', async () => {
    const pdf = await facturXPdf('EN16931', invoice('FX-PREPAID', { prepaid: 253.81 }));
    expect((await post(pdf)).status).toBe(201);
    expect((await post(pdf)).status).toBe(200);
    expect(await invoiceRow('FX-PREPAID')).toMatchObject({ totalCents: 125381, paidCents: 25381 });
  });
});

describe('the import page', () => {
  const headers = (lang = 'en') => ({ cookie: `${session.cookie}; relance_lang=${lang}`, origin: ORIGIN });
  async function upload(files: { name: string; content: Uint8Array }[], lang = 'en') {
    const form = new FormData();
    form.set('_csrf', session.csrf);
    for (const f of files) form.append('files', new File([Buffer.from(f.content)], f.name, { type: 'application/pdf' }));
    const res = await app.request('/import/factur-x', { method: 'POST', headers: headers(lang), body: form });
    return { status: res.status, location: res.headers.get('location'), body: await res.text() };
  }

  it('previews several Factur-X files, then writes them all on confirmation', async () => {
    const files = [
      { name: 'a.pdf', content: await facturXPdf('EN16931', invoice('FX-PAGE-1')) },
      { name: 'b.pdf', content: await facturXPdf('BASIC', invoice('FX-PAGE-2', { buyer: { name: 'Atelier Dupont', vat: 'FR40303265045', city: 'Paris', postalCode: '75002', street: '1 rue' } })) },
    ];
    const checked = await upload(files);
    expect(checked.status, checked.body.slice(0, 2000)).toBe(303);
    const preview = await (await app.request(checked.location!, { headers: headers() })).text();
    expect(preview).toContain('FX-PAGE-1');
    expect(preview).toContain('Atelier Dupont');
    expect(await invoiceRow('FX-PAGE-1')).toBeUndefined();
    const applied = await app.request(`${checked.location}/apply`, {
      method: 'POST', headers: { ...headers(), 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams({ _csrf: session.csrf }).toString(),
    });
    expect(applied.status).toBe(303);
    expect(await invoiceRow('FX-PAGE-2')).toMatchObject({ ref: 'VAT-FR40303265045', totalCents: 125381, lines: 2 });
  });

  it('refuses the whole batch when one file is bad, naming the file, the field and the reason, in French too', async () => {
    const files = [
      { name: 'bonne.pdf', content: await facturXPdf('EN16931', invoice('FX-BATCH-1')) },
      { name: 'scan.pdf', content: await plainPdf('scan') },
    ];
    const res = await upload(files, 'fr');
    expect(res.status).toBe(422);
    expect(res.body).toContain('scan.pdf');
    expect(res.body).toContain('un PDF simple : aucun XML Factur-X n’y est joint');
    expect(await invoiceRow('FX-BATCH-1')).toBeUndefined();
  });
});
