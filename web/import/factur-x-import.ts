import { z } from 'zod';
import type { ISql, TransactionSql } from '../../db/client.js';
import { customersMatching, saveInvoiceBuyer, type InvoiceBuyer, type KnownBuyer } from '../../db/queries/customers.js';
import { saveInvoicePdf } from '../../db/queries/invoice-files.js';
import { upsertInvoice } from '../../db/queries/invoices.js';
import { mandateOf, saveMandate } from '../../db/queries/mandates.js';
import { paymentTermsByNames } from '../../db/queries/payment-terms.js';
import { applyPayment } from '../../db/queries/payments.js';
import { getSettings } from '../../db/queries/settings.js';
import { PaymentTermsError } from '../../workflows/schedule/payment-terms.js';
import { invoiceSchedule, termsFor, type InvoiceSchedule } from '../api/invoice-schedule.js';
import { invoiceBody, numberParam, refParam, toInvoiceLines, type InvoiceBody } from '../api/schemas.js';
import { ibanField } from '../sepa/bank-fields.js';
import { readFacturX, type FacturXData, type FacturXProfile } from './factur-x-read.js';

export interface FacturXFile {
  filename: string;
  content: Uint8Array;
}

/** A problem named by the file it is in, the business term of EN 16931 (BT-…) and why. */
export interface FileProblem {
  file: string;
  field: string;
  message: string;
}

/** One invoice read from its file and checked against the database as it is now, ready to write. */
export interface CheckedFacturX {
  filename: string;
  profile: FacturXProfile;
  pdf: Uint8Array;
  pages: number;
  buyer: InvoiceBuyer & { known: boolean };
  invoice: InvoiceBody & { number: string };
  schedule: InvoiceSchedule;
  prepaidCents: number;
  mandate: { iban: string; reference: string } | null;
}

export type CheckedFacturXBatch = { ok: true; invoices: CheckedFacturX[] } | { ok: false; problems: FileProblem[] };

// Commercial invoice, corrected invoice, self-billed invoice, factored invoice: what a customer owes.
const INVOICE_TYPES = ['380', '384', '389', '393'];
const DIRECT_DEBIT = '59';
const FRENCH_SPEAKING = ['FR', 'BE', 'LU', 'MC', 'CH'];

const invoiceRow = z.object({ number: numberParam.shape.number }).and(invoiceBody);

// The invoice's fields as the business terms of EN 16931 name them.
const TERM_OF: Record<string, string> = {
  number: 'BT-1', issueDate: 'BT-2', currency: 'BT-5', totalCents: 'BT-112', dueDate: 'BT-9', paymentTerms: 'BT-20', lines: 'BT-131',
};

const cents = (amount: number) => Math.round(amount * 100);
const isoDate = (d: { year: number; month: number; day: number }) => `${d.year}-${String(d.month).padStart(2, '0')}-${String(d.day).padStart(2, '0')}`;

/**
 * Reads every file and checks each invoice by the rules of the API and the CSV import, against the
 * database as it is: one bad file refuses them all, every problem named.
 */
export async function checkFacturX(sql: ISql, files: readonly FacturXFile[]): Promise<CheckedFacturXBatch> {
  const problems: FileProblem[] = [];
  const read: { file: FacturXFile; profile: FacturXProfile; data: FacturXData; pages: number }[] = [];
  for (const file of files) {
    const result = await readFacturX(file.content);
    if (result.ok) read.push({ file, profile: result.profile, data: result.data, pages: result.pages });
    else problems.push(...result.problems.map((p) => ({ file: file.filename, ...p })));
  }
  const settings = await getSettings(sql);
  const firstFileOf = new Map<string, string>();
  const drafts = read.flatMap((r) => {
    const at = (field: string, message: string) => problems.push({ file: r.file.filename, field, message });
    const { data } = r;
    if (!INVOICE_TYPES.includes(data.document.type)) {
      at('BT-3', `type ${data.document.type} is not an invoice to chase (380, 384, 389 or 393); a credit note is recorded on its invoice as a payment`);
      return [];
    }
    const sellerProblem = foreignSeller(data, settings);
    if (sellerProblem) at(sellerProblem.field, sellerProblem.message);
    const buyer = buyerOf(data);
    if ('field' in buyer) at(buyer.field, buyer.message);
    const body = invoiceRow.safeParse(bodyOf(data));
    for (const issue of body.error?.issues ?? []) at(TERM_OF[String(issue.path[0])] ?? 'BT-1', issue.message);
    const mandate = debitMandateOf(data);
    if (mandate && 'field' in mandate) at(mandate.field, mandate.message);
    const earlier = firstFileOf.get(data.document.id);
    if (earlier) at('BT-1', `invoice ${data.document.id} is also in ${earlier}`);
    firstFileOf.set(data.document.id, r.file.filename);
    if (sellerProblem || 'field' in buyer || !body.success || (mandate && 'field' in mandate)) return [];
    return [{ ...r, buyer, invoice: body.data as InvoiceBody & { number: string }, mandate: mandate as CheckedFacturX['mandate'] }];
  });
  if (problems.length) return { ok: false, problems };

  const known = await customersMatching(sql, {
    sirens: drafts.flatMap((d) => (d.buyer.siren ? [d.buyer.siren] : [])),
    vatNumbers: drafts.flatMap((d) => (d.buyer.vatNumber ? [d.buyer.vatNumber] : [])),
    refs: drafts.map((d) => d.buyer.ref),
  });
  const matched = drafts.map((d) => matchBuyer(d.buyer, known));
  for (const [n, m] of matched.entries()) if (m && 'field' in m) problems.push({ file: drafts[n]!.file.filename, ...m });
  if (problems.length) return { ok: false, problems };

  // Payment terms named in BT-20 as the settings name them set the due date, or the installments.
  const named = await paymentTermsByNames(sql, drafts.flatMap((d) => (d.data.paymentInformation?.paymentTerms?.description ? [d.data.paymentInformation.paymentTerms.description.trim()] : [])));
  const bodies = drafts.map((d) => {
    const description = d.data.paymentInformation?.paymentTerms?.description?.trim();
    return description && named.has(description) ? { ...d.invoice, dueDate: undefined, paymentTerms: description } : d.invoice;
  });
  const customers = matched as (KnownBuyer | null)[];
  const terms = await termsFor(sql, bodies.map((body, n) => ({ body, customer: { paymentTermsId: customers[n]?.paymentTermsId ?? null } })));
  const invoices: CheckedFacturX[] = [];
  for (const [n, d] of drafts.entries()) {
    try {
      const customer = customers[n];
      const ref = customer?.ref ?? d.buyer.ref;
      invoices.push({
        filename: d.file.filename, profile: d.profile, pdf: d.file.content, pages: d.pages,
        buyer: { ...d.buyer, ref, known: customer !== null }, invoice: { ...bodies[n]!, customerRef: ref },
        schedule: invoiceSchedule(bodies[n]!, terms[n]), prepaidCents: cents(d.data.totals.prepaidAmount ?? 0), mandate: d.mandate,
      });
    } catch (err) {
      if (!(err instanceof PaymentTermsError)) throw err;
      problems.push(err.field === 'dueDate'
        ? { file: d.file.filename, field: 'BT-9', message: 'no due date (BT-9), no payment terms the settings name (BT-20), and the customer has no default terms' }
        : { file: d.file.filename, field: 'BT-20', message: err.message });
    }
  }
  if (problems.length) return { ok: false, problems };
  return { ok: true, invoices };
}

/** The company's own invoices only: one issued by another company is a purchase, not a debt to chase. */
function foreignSeller(data: FacturXData, settings: { companyName: string; companySiret: string; companyVat: string }): { field: string; message: string } | null {
  const seller = data.seller;
  const sellerSiren = sirenOf(seller.specifiedLegalOrganization?.id);
  const ownSiren = settings.companySiret.slice(0, 9);
  if (ownSiren && sellerSiren && sellerSiren !== ownSiren) {
    return { field: 'BT-30', message: `issued by ${seller.name} (SIREN ${sellerSiren}), not by ${settings.companyName} (SIREN ${ownSiren})` };
  }
  const sellerVat = seller.taxIdentification?.vatId?.replace(/\s+/g, '').toUpperCase();
  const ownVat = settings.companyVat.replace(/\s+/g, '').toUpperCase();
  if (ownVat && sellerVat && sellerVat !== ownVat) {
    return { field: 'BT-31', message: `issued by ${seller.name} (VAT ${sellerVat}), not by ${settings.companyName} (VAT ${ownVat})` };
  }
  return null;
}

/** ISO 6523 scheme 0002 is a SIREN, 0009 a SIRET (whose first nine digits are the SIREN). */
function sirenOf(id: { id?: string; scheme?: string } | undefined): string | null {
  const digits = id?.id?.replace(/\s+/g, '') ?? '';
  if (id?.scheme === '0002' && /^\d{9}$/.test(digits)) return digits;
  if (id?.scheme === '0009' && /^\d{14}$/.test(digits)) return digits.slice(0, 9);
  return null;
}

function buyerOf(data: FacturXData): InvoiceBuyer | { field: string; message: string } {
  const b = data.buyer;
  const legal = b.specifiedLegalOrganization?.id;
  const digits = legal?.id?.replace(/\s+/g, '') ?? '';
  const siret = legal?.scheme === '0009' && /^\d{14}$/.test(digits) ? digits : null;
  const siren = sirenOf(legal);
  const vatNumber = b.taxIdentification?.vatId?.replace(/\s+/g, '').toUpperCase() || null;
  if (vatNumber && !/^[A-Z]{2}[0-9A-Za-z+*.]{2,13}$/.test(vatNumber)) return { field: 'BT-48', message: `"${vatNumber}" is not a VAT number (two letters, then 2 to 13 characters)` };
  const name = b.name.trim().slice(0, 200);
  const buyerId = [b.id].flat().find((id): id is string => typeof id === 'string' && refParam.shape.ref.safeParse(id).success);
  const ref = buyerId ?? (siren ? `SIREN-${siren}` : vatNumber ? `VAT-${vatNumber}` : slugOf(name));
  const contacts = [b.tradeContact ?? []].flat();
  const emails = [...new Set([
    ...(b.universalCommunicationAddressURI?.scheme === 'EM' && b.universalCommunicationAddressURI.id ? [b.universalCommunicationAddressURI.id] : []),
    ...contacts.flatMap((c) => (c.email ? [c.email] : [])),
  ].map((e) => e.trim().toLowerCase()).filter((e) => z.email().safeParse(e).success))];
  const a = b.postalAddress;
  const address = a && (a.addressLineOne || a.city || a.postcode)
    ? { line1: a.addressLineOne ?? '', line2: [a.addressLineTwo, a.addressLineThree].filter(Boolean).join(', '), postalCode: a.postcode ?? '', city: a.city ?? '', country: a.country ?? 'FR' }
    : null;
  const country = a?.country ?? vatNumber?.slice(0, 2) ?? 'FR';
  return { ref, name, siren, siret, vatNumber, emails, address, language: FRENCH_SPEAKING.includes(country) ? 'fr' : 'en' };
}

/** "Boulangerie Martin SARL" → "BOULANGERIE-MARTIN-SARL": a reference for a buyer the invoice identifies by name only. */
function slugOf(name: string): string {
  return name.normalize('NFD').replace(/[\u0300-\u036f]/g, '').toUpperCase().replace(/[^A-Z0-9]+/g, '-').replace(/^-+|-+$/g, '').slice(0, 64) || 'BUYER';
}

/** The customer the buyer is, by SIREN, then VAT number, then reference; null for a new one. */
function matchBuyer(buyer: InvoiceBuyer, known: readonly KnownBuyer[]): KnownBuyer | null | { field: string; message: string } {
  const bySiren = buyer.siren ? known.find((k) => k.siren === buyer.siren) : undefined;
  if (bySiren) return bySiren;
  const byVat = buyer.vatNumber ? known.find((k) => k.vatNumber === buyer.vatNumber) : undefined;
  if (byVat) return byVat;
  const byRef = known.find((k) => k.ref === buyer.ref);
  if (!byRef) return null;
  // Same reference, another company: never send one company's reminders to another.
  if (buyer.siren && byRef.siren && byRef.siren !== buyer.siren) return { field: 'BT-47', message: `customer ${byRef.ref} has SIREN ${byRef.siren}, this buyer ${buyer.siren}` };
  if (buyer.vatNumber && byRef.vatNumber && byRef.vatNumber !== buyer.vatNumber) return { field: 'BT-48', message: `customer ${byRef.ref} has VAT number ${byRef.vatNumber}, this buyer ${buyer.vatNumber}` };
  return byRef;
}

/** The invoice in the API's terms, so the same rules check it: lines (with the document's allowances and charges) must make its total. */
function bodyOf(data: FacturXData): Record<string, unknown> {
  const rate = (tax: { rateApplicablePercent?: number }) => tax.rateApplicablePercent ?? 0;
  const lines = data.invoiceLines?.map((l) => {
    const pricing = l.productPriceAgreement.productNetPricing;
    const quantity = l.delivery.itemQuantity.quantity;
    const unitPriceCents = Math.round((pricing.netPricePerItem / (pricing.priceBaseQuantity?.quantity || 1)) * 100_000) / 1000;
    const netCents = cents(l.settlement.lineTotals.netTotal);
    // A price or quantity finer than Relance keeps is stated in the label; the line's amount is the invoice's.
    const exact = Math.round(quantity * 1000) === quantity * 1000 && Math.round(quantity * unitPriceCents) === netCents;
    return exact
      ? { label: l.productDescription.name, quantity, unitPriceCents, vatRate: rate(l.settlement.tax) }
      : { label: `${l.productDescription.name} (${quantity} × ${pricing.netPricePerItem})`, quantity: 1, unitPriceCents: netCents, vatRate: rate(l.settlement.tax) };
  });
  const adjustments = data.totals.documentLevelAllowancesAndCharges;
  const documentLines = [
    ...(adjustments?.allowances ?? []).map((a) => ({ label: a.reason ?? a.reasonCode ?? 'BG-20', quantity: 1, unitPriceCents: -cents(a.actualAmount), vatRate: rate(a.categoryTradeTax) })),
    ...(adjustments?.charges ?? []).map((c) => ({ label: c.reason ?? c.reasonCode ?? 'BG-21', quantity: 1, unitPriceCents: cents(c.actualAmount), vatRate: rate(c.categoryTradeTax) })),
  ];
  const terms = data.paymentInformation?.paymentTerms;
  // The customer's reference is known once the buyer is matched; a stand-in passes the check meanwhile.
  return {
    number: data.document.id, customerRef: 'BUYER', issueDate: isoDate(data.document.dateOfIssue), currency: data.document.currency,
    totalCents: cents(data.totals.grossTotal), ...(terms?.dueDate ? { dueDate: isoDate(terms.dueDate) } : {}),
    ...(lines?.length ? { lines: [...lines, ...documentLines] } : {}), status: 'open',
  };
}

/** A direct debit (payment means 59) names the debtor's IBAN (BT-91) and the mandate (BT-89). */
function debitMandateOf(data: FacturXData): { iban: string; reference: string } | { field: string; message: string } | null {
  const debit = data.paymentInformation?.paymentMeans?.find((m) => m.paymentType === DIRECT_DEBIT);
  const reference = data.paymentInformation?.paymentTerms?.directDebitMandateID?.trim();
  if (!debit || !reference || !debit.payerBankAccount?.iban) return null;
  const iban = ibanField.safeParse(debit.payerBankAccount.iban);
  if (!iban.success) return { field: 'BT-91', message: iban.error.issues[0]!.message };
  if (!/^[A-Za-z0-9+?/:().,'-]{1,35}$/.test(reference)) return { field: 'BT-89', message: "letters, digits and + ? / : ( ) . , ' - only, 35 at most" };
  return { iban: iban.data, reference };
}

export type WrittenInvoice = { id: number; number: string; customerRef: string; created: boolean; stopped: boolean };

export class FacturXRefused extends Error {
  constructor(readonly problems: FileProblem[]) {
    super('factur-x refused');
  }
}

/**
 * Writes checked invoices inside the caller's transaction: the buyer, its mandate, the invoice with
 * its lines and its PDF, what the invoice says was paid already. An invoice an operator stopped
 * stays stopped: its workflow is not to be woken.
 */
export async function writeFacturX(tx: TransactionSql, invoices: readonly CheckedFacturX[], actor: string): Promise<WrittenInvoice[]> {
  const written: WrittenInvoice[] = [];
  const taken: FileProblem[] = [];
  for (const c of invoices) {
    const customerId = await saveInvoiceBuyer(tx, c.buyer);
    if (c.mandate) {
      const current = await mandateOf(tx, customerId);
      const kept = current?.reference === c.mandate.reference ? current : undefined;
      const saved = await saveMandate(tx, {
        customerId, iban: c.mandate.iban, reference: c.mandate.reference, bic: kept?.bic ?? null, holder: kept?.holder ?? c.buyer.name.slice(0, 70),
        bankName: kept?.bankName ?? '', signedOn: kept?.signedOn ?? null, signedPlace: kept?.signedPlace ?? '', sequence: kept?.sequence ?? 'FRST',
      });
      if (saved === 'taken') taken.push({ file: c.filename, field: 'BT-89', message: "already another customer's mandate" });
    }
    const { id, created, stopped } = await upsertInvoice(tx, {
      number: c.invoice.number, customerId, issueDate: c.invoice.issueDate, dueDate: c.schedule.dueDate, currency: c.invoice.currency,
      totalCents: c.invoice.totalCents, status: 'open', installments: c.schedule.installments, paymentTermsId: c.schedule.paymentTermsId,
      lines: c.invoice.lines ? toInvoiceLines(c.invoice.lines) : undefined,
    });
    await saveInvoicePdf(tx, id, c.pdf, c.pages);
    if (c.prepaidCents > 0) {
      await applyPayment(tx, {
        invoiceId: id, amountCents: c.prepaidCents, currency: c.invoice.currency, paidOn: c.invoice.issueDate, method: 'other',
        source: 'factur-x', externalId: `factur-x:${c.invoice.number}:prepaid`, actor,
      });
    }
    written.push({ id, number: c.invoice.number, customerRef: c.buyer.ref, created, stopped });
  }
  if (taken.length) throw new FacturXRefused(taken);
  return written;
}
