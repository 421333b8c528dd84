import { InvoiceService } from '@e-invoice-eu/core';
import { zugferd } from 'node-zugferd';
import { BASIC } from 'node-zugferd/profile/basic';
import { PDFDocument, StandardFonts } from 'pdf-lib';

/**
 * Factur-X invoices made by generators independent of the reader Relance uses: e-invoice-eu for
 * MINIMUM, EN 16931 and EXTENDED, node-zugferd for BASIC (e-invoice-eu's BASIC leaves out the
 * lines' net price, which the profile requires).
 */
export type Profile = 'MINIMUM' | 'BASIC' | 'EN16931' | 'EXTENDED';

export interface TestInvoice {
  number: string;
  issueDate: string;
  dueDate?: string;
  paymentTermsNote?: string;
  typeCode?: string;
  seller?: { name: string; siren: string; vat: string };
  buyer: { name: string; siren?: string; vat?: string; email?: string; street?: string; postalCode?: string; city?: string; country?: string };
  lines: { name: string; quantity: number; price: number; vatRate: number }[];
  directDebit?: { iban: string; mandate: string };
  prepaid?: number;
  /** A total that does not match the lines, as a broken billing system writes it. */
  grossTotalOverride?: number;
}

const SELLER = { name: 'Relance Demo SAS', siren: '123456789', vat: 'FR32123456789' };
const money = (n: number) => n.toFixed(2);

function totalsOf(inv: TestInvoice) {
  const lines = inv.lines.map((l) => ({ ...l, net: Math.round(l.quantity * l.price * 100) / 100 }));
  const rates = [...new Set(lines.map((l) => l.vatRate))];
  const breakdown = rates.map((rate) => {
    const basis = lines.filter((l) => l.vatRate === rate).reduce((s, l) => s + l.net, 0);
    return { rate, basis: Math.round(basis * 100) / 100, tax: Math.round(basis * rate) / 100 };
  });
  const net = Math.round(lines.reduce((s, l) => s + l.net, 0) * 100) / 100;
  const tax = Math.round(breakdown.reduce((s, b) => s + b.tax, 0) * 100) / 100;
  const gross = inv.grossTotalOverride ?? Math.round((net + tax) * 100) / 100;
  return { lines, breakdown, net, tax, gross, due: Math.round((gross - (inv.prepaid ?? 0)) * 100) / 100 };
}

/** A one-page PDF showing the invoice, the visible half of a Factur-X file. */
export async function plainPdf(title: string): Promise<Uint8Array> {
  const doc = await PDFDocument.create();
  const font = await doc.embedFont(StandardFonts.Helvetica);
  doc.addPage().drawText(title, { x: 50, y: 760, font, size: 18 });
  return doc.save();
}

export async function facturXPdf(profile: Profile, inv: TestInvoice): Promise<Uint8Array> {
  const pdf = await plainPdf(`Facture ${inv.number}`);
  return profile === 'BASIC' ? zugferdBasic(inv, pdf) : eInvoiceEu(profile, inv, pdf);
}

/** e-invoice-eu's BASIC: its lines lack the net price (BT-146) the profile requires, a broken file as a real tool writes it. */
export async function brokenBasicPdf(inv: TestInvoice): Promise<Uint8Array> {
  return eInvoiceEu('BASIC', inv, await plainPdf(`Facture ${inv.number}`));
}

async function eInvoiceEu(profile: Profile, inv: TestInvoice, pdf: Uint8Array): Promise<Uint8Array> {
  const t = totalsOf(inv);
  const seller = inv.seller ?? SELLER;
  const b = inv.buyer;
  const tax = (rate: number) => ({ 'cbc:ID': rate === 0 ? 'E' : 'S', 'cbc:Percent': String(rate), 'cac:TaxScheme': { 'cbc:ID': 'VAT' } });
  const data = {
    'ubl:Invoice': {
      'cbc:ID': inv.number, 'cbc:IssueDate': inv.issueDate, ...(inv.dueDate ? { 'cbc:DueDate': inv.dueDate } : {}),
      'cbc:InvoiceTypeCode': inv.typeCode ?? '380', 'cbc:DocumentCurrencyCode': 'EUR', 'cbc:BuyerReference': 'ACHATS',
      'cac:AccountingSupplierParty': { 'cac:Party': {
        'cac:PartyName': { 'cbc:Name': seller.name },
        'cac:PostalAddress': { 'cbc:StreetName': '1 rue de la Paix', 'cbc:CityName': 'Paris', 'cbc:PostalZone': '75002', 'cac:Country': { 'cbc:IdentificationCode': 'FR' } },
        'cac:PartyTaxScheme': [{ 'cbc:CompanyID': seller.vat, 'cac:TaxScheme': { 'cbc:ID': 'VAT' } }],
        'cac:PartyLegalEntity': { 'cbc:RegistrationName': seller.name, 'cbc:CompanyID': seller.siren, 'cbc:CompanyID@schemeID': '0002' },
      } },
      'cac:AccountingCustomerParty': { 'cac:Party': {
        ...(b.email ? { 'cbc:EndpointID': b.email, 'cbc:EndpointID@schemeID': 'EM' } : {}),
        'cac:PostalAddress': { 'cbc:StreetName': b.street ?? '', 'cbc:CityName': b.city ?? '', 'cbc:PostalZone': b.postalCode ?? '', 'cac:Country': { 'cbc:IdentificationCode': b.country ?? 'FR' } },
        ...(b.vat ? { 'cac:PartyTaxScheme': { 'cbc:CompanyID': b.vat, 'cac:TaxScheme': { 'cbc:ID': 'VAT' } } } : {}),
        'cac:PartyLegalEntity': { 'cbc:RegistrationName': b.name, ...(b.siren ? { 'cbc:CompanyID': b.siren, 'cbc:CompanyID@schemeID': '0002' } : {}) },
      } },
      'cac:Delivery': { 'cbc:ActualDeliveryDate': inv.issueDate },
      'cac:PaymentMeans': [inv.directDebit
        ? { 'cbc:PaymentMeansCode': '59', 'cac:PaymentMandate': { 'cbc:ID': inv.directDebit.mandate, 'cac:PayerFinancialAccount': { 'cbc:ID': inv.directDebit.iban } } }
        : { 'cbc:PaymentMeansCode': '30', 'cac:PayeeFinancialAccount': { 'cbc:ID': 'FR7630006000011234567890189' } }],
      ...(inv.paymentTermsNote ? { 'cac:PaymentTerms': { 'cbc:Note': inv.paymentTermsNote } } : {}),
      'cac:TaxTotal': [{
        'cbc:TaxAmount': money(t.tax), 'cbc:TaxAmount@currencyID': 'EUR',
        'cac:TaxSubtotal': t.breakdown.map((x) => ({
          'cbc:TaxableAmount': money(x.basis), 'cbc:TaxableAmount@currencyID': 'EUR', 'cbc:TaxAmount': money(x.tax), 'cbc:TaxAmount@currencyID': 'EUR',
          'cac:TaxCategory': { ...tax(x.rate), ...(x.rate === 0 ? { 'cbc:TaxExemptionReason': 'Exonération' } : {}) },
        })),
      }],
      'cac:LegalMonetaryTotal': {
        'cbc:LineExtensionAmount': money(t.net), 'cbc:LineExtensionAmount@currencyID': 'EUR', 'cbc:TaxExclusiveAmount': money(t.net), 'cbc:TaxExclusiveAmount@currencyID': 'EUR',
        'cbc:TaxInclusiveAmount': money(t.gross), 'cbc:TaxInclusiveAmount@currencyID': 'EUR',
        ...(inv.prepaid ? { 'cbc:PrepaidAmount': money(inv.prepaid), 'cbc:PrepaidAmount@currencyID': 'EUR' } : {}),
        'cbc:PayableAmount': money(t.due), 'cbc:PayableAmount@currencyID': 'EUR',
      },
      'cac:InvoiceLine': t.lines.map((l, n) => ({
        'cbc:ID': String(n + 1), 'cbc:InvoicedQuantity': String(l.quantity), 'cbc:InvoicedQuantity@unitCode': 'C62',
        'cbc:LineExtensionAmount': money(l.net), 'cbc:LineExtensionAmount@currencyID': 'EUR',
        'cac:Item': { 'cbc:Name': l.name, 'cac:ClassifiedTaxCategory': tax(l.vatRate) },
        'cac:Price': { 'cbc:PriceAmount': String(l.price), 'cbc:PriceAmount@currencyID': 'EUR' },
      })),
    },
  };
  const format = { MINIMUM: 'Factur-X-Minimum', BASIC: 'Factur-X-Basic', EN16931: 'Factur-X-EN16931', EXTENDED: 'Factur-X-Extended' }[profile];
  const quiet = { log: () => {}, warn: () => {}, error: () => {} };
  const out = await new InvoiceService(quiet as never).generate(data as never, { format, lang: 'fr-fr', pdf: { buffer: pdf, filename: 'facture.pdf', mimetype: 'application/pdf' } });
  return typeof out === 'string' ? new TextEncoder().encode(out) : new Uint8Array(out);
}

async function zugferdBasic(inv: TestInvoice, pdf: Uint8Array): Promise<Uint8Array> {
  const t = totalsOf(inv);
  const seller = inv.seller ?? SELLER;
  const b = inv.buyer;
  const tax = (rate: number) => ({ typeCode: 'VAT', categoryCode: rate === 0 ? 'E' : 'S', rateApplicablePercent: String(rate) });
  const data = {
    number: inv.number, typeCode: inv.typeCode ?? '380', issueDate: new Date(inv.issueDate),
    transaction: {
      line: t.lines.map((l, n) => ({
        identifier: String(n + 1), tradeProduct: { name: l.name }, tradeAgreement: { netTradePrice: { chargeAmount: money(l.price) } },
        tradeDelivery: { billedQuantity: { amount: l.quantity, unitMeasureCode: 'C62' } },
        tradeSettlement: { tradeTax: tax(l.vatRate), monetarySummation: { lineTotalAmount: money(l.net) } },
      })),
      tradeAgreement: {
        seller: { name: seller.name, organization: { registrationIdentifier: { value: seller.siren, schemeIdentifier: '0002' } },
          postalAddress: { postCode: '75002', line1: '1 rue de la Paix', city: 'Paris', countryCode: 'FR' }, taxRegistration: { vatIdentifier: seller.vat } },
        buyer: { name: b.name, ...(b.siren ? { organization: { registrationIdentifier: { value: b.siren, schemeIdentifier: '0002' } } } : {}),
          postalAddress: { postCode: b.postalCode ?? '', line1: b.street ?? '', city: b.city ?? '', countryCode: b.country ?? 'FR' },
          ...(b.email ? { electronicAddress: { value: b.email, schemeIdentifier: 'EM' } } : {}),
          ...(b.vat ? { taxRegistration: { vatIdentifier: b.vat } } : {}) },
      },
      tradeDelivery: {},
      tradeSettlement: {
        currencyCode: 'EUR',
        paymentInstruction: { typeCode: '58', transfers: [{ paymentAccountIdentifier: 'FR7630006000011234567890189' }] },
        vatBreakdown: t.breakdown.map((x) => ({ calculatedAmount: money(x.tax), basisAmount: money(x.basis), ...tax(x.rate), ...(x.rate === 0 ? { exemptionReasonText: 'Exonération' } : {}) })),
        paymentTerms: { ...(inv.dueDate ? { dueDate: new Date(inv.dueDate) } : {}), ...(inv.paymentTermsNote ? { description: inv.paymentTermsNote } : {}) },
        monetarySummation: {
          lineTotalAmount: money(t.net), taxBasisTotalAmount: money(t.net), taxTotal: { currencyCode: 'EUR', amount: money(t.tax) },
          grandTotalAmount: money(t.gross), ...(inv.prepaid ? { paidAmount: money(inv.prepaid) } : {}), duePayableAmount: money(t.due),
        },
      },
    },
  };
  const created = zugferd({ profile: BASIC }).create(data as never);
  return new Uint8Array(await created.embedInPdf(pdf, { metadata: { title: inv.number } }));
}
