import { FacturX } from 'factur-x-kit';
import { EmbeddedFileTooLarge, embeddedFiles } from '../../services/pdf/embedded-files.js';
import { pageCount } from '../../services/pdf/merge.js';

/** A problem of one Factur-X file: the business term of EN 16931 it is about (BT-1…), or `file`. */
export interface FacturXProblem {
  field: string;
  message: string;
}

export type FacturXProfile = 'MINIMUM' | 'BASIC WL' | 'BASIC' | 'EN 16931' | 'EXTENDED';

const PROFILES: Record<string, FacturXProfile> = {
  'urn:factur-x.eu:1p0:minimum': 'MINIMUM',
  'urn:factur-x.eu:1p0:basicwl': 'BASIC WL',
  'urn:cen.eu:en16931:2017#compliant#urn:factur-x.eu:1p0:basic': 'BASIC',
  'urn:cen.eu:en16931:2017': 'EN 16931',
  'urn:cen.eu:en16931:2017#conformant#urn:factur-x.eu:1p0:extended': 'EXTENDED',
};

// The names the Factur-X, ZUGFeRD and XRechnung specifications give the invoice's XML in the PDF.
const XML_NAMES = ['factur-x.xml', 'zugferd-invoice.xml', 'xrechnung.xml'];

type Id = { id?: string; scheme?: string } | undefined;
type Party = {
  name: string;
  id?: string | string[];
  specifiedLegalOrganization?: { id?: Id };
  postalAddress?: { postcode?: string; addressLineOne?: string; addressLineTwo?: string; addressLineThree?: string; city?: string; country?: string };
  taxIdentification?: { vatId?: string };
  universalCommunicationAddressURI?: Id;
  tradeContact?: { email?: string }[] | { email?: string };
};
type Tax = { categoryCode: string; rateApplicablePercent?: number };
type AllowanceCharge = { actualAmount: number; categoryTradeTax: Tax; reason?: string; reasonCode?: string };
type DateParts = { year: number; month: number; day: number };

/** The parts of factur-x-kit's profile object Relance reads, the same in every profile that has them. */
export interface FacturXData {
  profile: string;
  document: { id: string; type: string; dateOfIssue: DateParts; currency: string };
  seller: Party;
  buyer: Party;
  invoiceLines?: {
    productDescription: { name: string };
    productPriceAgreement: { productNetPricing: { netPricePerItem: number; priceBaseQuantity?: { quantity: number } } };
    delivery: { itemQuantity: { quantity: number } };
    settlement: { tax: Tax; lineTotals: { netTotal: number } };
  }[];
  paymentInformation?: {
    paymentMeans?: { paymentType: string; payerBankAccount?: { iban?: string } }[];
    paymentTerms?: { description?: string; dueDate?: DateParts; directDebitMandateID?: string };
  };
  totals: {
    grossTotal: number;
    prepaidAmount?: number;
    documentLevelAllowancesAndCharges?: { allowances?: AllowanceCharge[]; charges?: AllowanceCharge[] };
  };
}

export type ReadFacturX = { ok: true; profile: FacturXProfile; data: FacturXData; pages: number } | { ok: false; problems: FacturXProblem[] };

/**
 * Reads the EN 16931 data a Factur-X PDF carries, with factur-x-kit, and checks it against the
 * profile it declares (its structure, then the business rules the library knows).
 */
export async function readFacturX(pdf: Uint8Array): Promise<ReadFacturX> {
  const pages = await pageCount(pdf).catch(() => 0);
  if (pages === 0) return refuse('file', 'is not a readable PDF');
  let attached;
  try {
    attached = await embeddedFiles(pdf);
  } catch (err) {
    if (err instanceof EmbeddedFileTooLarge) return refuse('file', 'carries an attachment larger than 20 MB once uncompressed');
    return refuse('file', 'is not a readable PDF');
  }
  const xml = attached.find((f) => XML_NAMES.includes(f.name.toLowerCase()));
  if (!xml) return refuse('file', 'a plain PDF: no Factur-X XML is attached to it');
  const text = Buffer.from(xml.content).toString('utf8');
  // A CII invoice never declares a DTD; one that does may define entities that expand without end.
  if (/<!DOCTYPE|<!ENTITY/i.test(text)) return refuse('file', 'the XML declares a DOCTYPE, which an invoice never needs');
  const declared = /GuidelineSpecifiedDocumentContextParameter>\s*<ram:ID>([^<]+)</.exec(text)?.[1]?.trim() ?? '';
  const profile = PROFILES[declared];
  if (!profile) return refuse('BT-24', `an unknown profile "${declared.slice(0, 120)}": MINIMUM, BASIC WL, BASIC, EN 16931 or EXTENDED`);
  const { result, said } = await quietly(() => FacturX.fromXML(text));
  if (!result.ok) return { ok: false, problems: structureProblems(profile, said) };
  const checked = result.value.validate();
  if (!checked.valid) {
    // The library's rules name the business term they are about: "[BR-CO-15] … (BT-112) must equal …".
    return { ok: false, problems: (checked.errors ?? []).map((e) => ({ field: /\((BT-\d+)\)/.exec(e.message)?.[1] ?? (e.path.join('.') || 'file'), message: `breaks a rule of the ${profile} profile: ${e.message}` })) };
  }
  return { ok: true, profile, data: result.value.object as unknown as FacturXData, pages };
}

function refuse(field: string, message: string): ReadFacturX {
  return { ok: false, problems: [{ field, message }] };
}

/**
 * factur-x-kit says why an XML does not fit its profile only on the console, while converting,
 * which it does before the promise it returns settles: the console is borrowed for that
 * synchronous stretch alone, so nothing else's output is caught.
 */
async function quietly<T>(run: () => Promise<T>): Promise<{ result: { ok: true; value: T } | { ok: false }; said: string[] }> {
  const said: string[] = [];
  const { log, warn } = console;
  let running: Promise<T>;
  console.log = console.warn = (...parts: unknown[]) => void said.push(parts.map(String).join(' '));
  try {
    running = run();
  } finally {
    console.log = log;
    console.warn = warn;
  }
  try {
    return { result: { ok: true, value: await running }, said };
  } catch {
    return { result: { ok: false }, said };
  }
}

/** The elements the library found missing or malformed, from the validation report it printed. */
function structureProblems(profile: FacturXProfile, said: string[]): FacturXProblem[] {
  const issues = said.flatMap((text) => {
    try {
      const parsed = JSON.parse(text) as { path?: unknown[]; message?: string; received?: string }[];
      return Array.isArray(parsed) ? parsed : [];
    } catch {
      return [];
    }
  });
  if (issues.length === 0) return [{ field: 'file', message: `the XML does not follow the ${profile} profile` }];
  return issues.slice(0, 20).map((i) => ({
    field: (i.path ?? []).map(String).join('/') || 'file',
    message: i.received === 'undefined' ? `is missing: the ${profile} profile requires it` : `does not follow the ${profile} profile (${i.message ?? 'invalid'})`,
  }));
}
