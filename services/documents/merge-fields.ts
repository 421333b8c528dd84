import type { CompanySettings } from '../../db/queries/settings.js';
import type { Customer } from '../../db/queries/customers.js';
import type { OverdueLine } from '../../db/queries/invoices.js';
import { addDays } from '../../workflows/schedule/calendar-date.js';
import { daysLate } from '../../workflows/schedule/row-colour.js';
import { amountsOwed, type InstallmentState, type InvoiceAmounts } from '../../workflows/schedule/amounts-owed.js';
import { invoiceTotals, type InvoiceLine } from '../../workflows/schedule/invoice-lines.js';
import { formatDate, formatMoney, formatQuantity, formatRate, formatVatRate, INSTALLMENT_STATE_NAMES } from '../format.js';

/** Everything a reminder template may use; amounts and dates come formatted in the customer's language. */
export interface MergeFields {
  today: string;
  company: {
    name: string; address: string; email: string; phone: string;
    /** The town of the company's address, where its letters are dated from. */
    city: string;
    legalForm: string; capital: string; siret: string; rcs: string; vat: string;
    /** « SAS au capital de 10 000 € · SIRET 123 456 789 00012 · RCS Lyon · TVA FR12345678901 »: what the law asks every letter to show. */
    legalMentions: string;
  };
  customer: { name: string; ref: string; address: string };
  invoice: { number: string; issueDate: string; dueDate: string; total: string; balance: string; currency: string };
  /** The invoice's lines with their net amounts, for its copy; empty when the billing system sent only the total. */
  invoiceLines: { label: string; quantity: string; unitPrice: string; vatRate: string; net: string }[];
  /** The total before tax and the VAT of each rate, when the invoice has lines; else empty. */
  invoiceNet: string;
  invoiceVat: { rate: string; base: string; amount: string }[];
  /** What this reminder claims: the installments due (all of a simple invoice), not what is still to come. */
  amountDue: string;
  /** The part of the balance not yet due ("à échoir"); empty when nothing is. */
  amountToCome: string;
  /** The installments of a payment schedule, each paid, due or to come; empty for an invoice without one. */
  installments: { label: string; dueDate: string; amount: string; paid: string; open: string; state: InstallmentState; stateName: string }[];
  /** The installments this reminder claims (part of `installments`). */
  claimedInstallments: { label: string; dueDate: string; open: string }[];
  /** Payments received since the previous reminder (since the invoice, before the first), to thank the customer for; empty strings when none. */
  paymentReceived: { amount: string; date: string };
  daysLate: number;
  level: { number: number; name: string };
  fee: string;
  overdueInvoices: { number: string; dueDate: string; balance: string; daysLate: number }[];
  overdueCount: number;
  totalOverdue: string;
  /** Why the last direct debit came back (the reminder after a returned debit); else empty. */
  returnReason: string;
  /** A customer statement's invoices, each at its own level; empty in a single invoice's reminder. */
  statementLines: StatementLine[];
  statementCount: number;
  statementTotal: string;
  /** A link to pay online (Stripe Checkout), or empty when Stripe is not configured. */
  payLink: string;
  /** The customer's own page (open invoices, pay, promise a date, dispute), signed; empty without a public address. */
  portalLink: string;
  /** The same page's short address, for a letter's reader to type. */
  portalShortLink: string;
  /** The customer's language, for the words the layout adds around the template. */
  language: 'fr' | 'en';
  /** Statutory late charges accrued today under the policy; each empty when it comes to nothing. */
  lateCharges: { interest: string; indemnity: string; total: string; rate: string };
  /** What this reminder claims in all: the amount due and the late charges. */
  totalClaimed: string;
  /** The formal notice's deadline under the policy: the days given to pay, and the last day counted from today. */
  notice: { days: number; deadline: string };
  /** The reminders this invoice already received, oldest first, so a text never claims more than were sent. */
  previousReminders: { name: string; date: string }[];
  previousCount: number;
  /** Those reminders in a phrase: "notre relance du 3 novembre 2026", "nos relances des 3 et 18 novembre…". */
  previousRemindersText: string;
}

/** An earlier reminder of the same invoice: its step's name and the day it went out. */
export interface PreviousReminder {
  stepName: string;
  sentOn: string;
}

/** "notre relance du 3 novembre 2026" / "nos relances des 3 novembre 2026 et 18 novembre 2026" (and in English). */
function previousRemindersPhrase(previous: PreviousReminder[], lang: string): string {
  if (previous.length === 0) return '';
  const dates = previous.map((p) => formatDate(p.sentOn, lang));
  const and = lang === 'en' ? 'and' : 'et';
  const list = dates.length === 1 ? dates[0]! : `${dates.slice(0, -1).join(', ')} ${and} ${dates.at(-1)}`;
  if (lang === 'en') return `${dates.length === 1 ? 'our reminder' : 'our reminders'} of ${list}`;
  return dates.length === 1 ? `notre relance du ${list}` : `nos relances des ${list}`;
}

export interface StatementLine {
  number: string;
  dueDate: string;
  balance: string;
  daysLate: number;
  levelName: string;
}

/** The company's legal identity in one line, the parts it has. */
export function legalMentions(s: Pick<CompanySettings, 'companyLegalForm' | 'companyCapital' | 'companySiret' | 'companyRcs' | 'companyVat'>, lang: 'fr' | 'en'): string {
  const siret = s.companySiret.replace(/^(\d{3})(\d{3})(\d{3})(\d{5})$/, '$1 $2 $3 $4');
  const form = s.companyLegalForm && s.companyCapital
    ? (lang === 'fr' ? `${s.companyLegalForm} au capital de ${s.companyCapital}` : `${s.companyLegalForm} with a share capital of ${s.companyCapital}`)
    : s.companyLegalForm || (s.companyCapital ? (lang === 'fr' ? `Capital de ${s.companyCapital}` : `Share capital ${s.companyCapital}`) : '');
  return [form, siret && `SIRET ${siret}`, s.companyRcs && `RCS ${s.companyRcs}`, s.companyVat && `${lang === 'fr' ? 'TVA' : 'VAT'} ${s.companyVat}`].filter(Boolean).join(' · ');
}

/** The town after the postal code of an address ("1 place Bellecour, 69002 Lyon" is Lyon), or empty. */
export function cityOf(address: string): string {
  const parts = address.split(/[\n,]/).map((p) => p.trim()).filter(Boolean).reverse();
  for (const part of parts) {
    const m = /^(?:[A-Z]{1,2}-)?\d{4,5}\s+(.+?)(?:\s+cedex(?:\s+\d+)?)?$/i.exec(part);
    if (m) return m[1]!;
  }
  return '';
}

/** Sample values for the list of merge fields and for checking templates against it. */
export const MERGE_FIELD_NAMES = [
  'today', 'company.name', 'company.address', 'company.email', 'company.phone', 'company.city',
  'company.legalForm', 'company.capital', 'company.siret', 'company.rcs', 'company.vat', 'company.legalMentions',
  'customer.name', 'customer.ref', 'customer.address',
  'invoice.number', 'invoice.issueDate', 'invoice.dueDate', 'invoice.total', 'invoice.balance', 'invoice.currency',
  'invoiceLines', 'invoiceLines.label', 'invoiceLines.quantity', 'invoiceLines.unitPrice', 'invoiceLines.vatRate', 'invoiceLines.net',
  'invoiceNet', 'invoiceVat', 'invoiceVat.rate', 'invoiceVat.base', 'invoiceVat.amount',
  'amountDue', 'amountToCome', 'daysLate',
  'installments', 'installments.label', 'installments.dueDate', 'installments.amount', 'installments.paid', 'installments.open', 'installments.state', 'installments.stateName',
  'claimedInstallments', 'claimedInstallments.label', 'claimedInstallments.dueDate', 'claimedInstallments.open',
  'paymentReceived.amount', 'paymentReceived.date', 'level.number', 'level.name', 'fee',
  'overdueInvoices', 'overdueInvoices.number', 'overdueInvoices.dueDate', 'overdueInvoices.balance', 'overdueInvoices.daysLate',
  'overdueCount', 'totalOverdue', 'returnReason',
  'statementLines', 'statementLines.number', 'statementLines.dueDate', 'statementLines.balance', 'statementLines.daysLate', 'statementLines.levelName',
  'statementCount', 'statementTotal',
  'lateCharges.interest', 'lateCharges.indemnity', 'lateCharges.total', 'lateCharges.rate', 'totalClaimed', 'notice.days', 'notice.deadline', 'payLink', 'portalLink', 'portalShortLink',
  'previousReminders', 'previousReminders.name', 'previousReminders.date', 'previousCount', 'previousRemindersText',
] as const;

/** The fields that are lists, and the fields of each of their items, for {{#each}}. */
export const MERGE_FIELD_LISTS: { list: string; itemFields: string[] }[] = MERGE_FIELD_NAMES
  .filter((n) => !n.includes('.') && MERGE_FIELD_NAMES.some((m) => m.startsWith(`${n}.`)))
  .map((list) => ({ list, itemFields: MERGE_FIELD_NAMES.filter((m) => m.startsWith(`${list}.`)).map((m) => m.slice(list.length + 1)) }));

export function buildMergeFields(input: {
  settings: CompanySettings;
  customer: Customer;
  /** The invoice as stored: its own due date (null with a schedule of installments), its installments if any. */
  invoice: InvoiceAmounts & { number: string; currency: string };
  level: number;
  stepName: string;
  feeCents: number | null;
  overdue: OverdueLine[];
  today: string;
  returnReason?: string;
  charges?: { interestCents: number; indemnityCents: number; rateBp: number | null };
  /** The days the policy's formal notice gives to pay. */
  noticeDays: number;
  /** The invoice's lines, when the billing system sent them. */
  lines?: readonly InvoiceLine[];
  payLink?: string;
  portalLink?: string;
  portalShortLink?: string;
  previous?: PreviousReminder[];
  /** Payments since the previous reminder: their sum and the last one's day. */
  received?: { amountCents: number; lastOn: string } | null;
}): MergeFields {
  const lang = input.customer.language;
  const { invoice, customer, settings } = input;
  const money = (cents: number, currency = invoice.currency) => formatMoney(cents, currency, lang);
  const owed = amountsOwed(invoice, input.today);
  const dueDate = owed.firstUnpaid?.dueDate ?? invoice.dueDate ?? invoice.issueDate;
  const schedule = invoice.installments.length > 0 ? owed.installments : [];
  const states = INSTALLMENT_STATE_NAMES[lang === 'en' ? 'en' : 'fr'];
  // The list names every overdue invoice in the invoice's currency; other currencies are left out of the sum.
  const sameCurrency = input.overdue.filter((o) => o.currency === invoice.currency);
  const charges = input.charges ?? { interestCents: 0, indemnityCents: 0, rateBp: null };
  const ifAny = (cents: number) => (cents > 0 ? money(cents) : '');
  const totals = input.lines?.length ? invoiceTotals(input.lines) : null;
  return {
    today: formatDate(input.today, lang),
    company: {
      name: settings.companyName, address: settings.companyAddress, email: settings.companyEmail, phone: settings.companyPhone, city: cityOf(settings.companyAddress),
      legalForm: settings.companyLegalForm, capital: settings.companyCapital, siret: settings.companySiret, rcs: settings.companyRcs, vat: settings.companyVat,
      legalMentions: legalMentions(settings, lang === 'en' ? 'en' : 'fr'),
    },
    customer: {
      name: customer.name,
      ref: customer.ref,
      address: [customer.name, customer.addressLine1, customer.addressLine2, `${customer.postalCode} ${customer.city}`.trim()]
        .filter(Boolean)
        .join('\n'),
    },
    invoice: {
      number: invoice.number,
      issueDate: formatDate(invoice.issueDate, lang),
      dueDate: formatDate(dueDate, lang),
      total: money(invoice.totalCents),
      balance: money(owed.balanceCents),
      currency: invoice.currency,
    },
    invoiceLines: (totals?.lines ?? []).map((l) => ({
      label: l.label, quantity: formatQuantity(l.quantityMilli, lang), unitPrice: money(l.unitPriceCents), vatRate: formatVatRate(l.vatRateBp, lang), net: money(l.netCents),
    })),
    invoiceNet: totals ? money(totals.netCents) : '',
    invoiceVat: (totals?.vat ?? []).map((v) => ({ rate: formatVatRate(v.rateBp, lang), base: money(v.baseCents), amount: money(v.vatCents) })),
    amountDue: money(owed.claimedCents),
    amountToCome: owed.toComeCents > 0 ? money(owed.toComeCents) : '',
    installments: schedule.map((i) => ({
      label: i.label, dueDate: formatDate(i.dueDate, lang), amount: money(i.amountCents), paid: money(i.paidCents), open: money(i.openCents),
      state: i.state, stateName: states[i.state],
    })),
    claimedInstallments: invoice.installments.length > 0 ? owed.claimed.map((i) => ({ label: i.label, dueDate: formatDate(i.dueDate, lang), open: money(i.openCents) })) : [],
    paymentReceived: input.received ? { amount: money(input.received.amountCents), date: formatDate(input.received.lastOn, lang) } : { amount: '', date: '' },
    daysLate: daysLate(dueDate, input.today),
    level: { number: input.level, name: input.stepName },
    fee: input.feeCents ? money(input.feeCents) : '',
    overdueInvoices: input.overdue.map((o) => ({
      number: o.number,
      dueDate: formatDate(o.dueDate, lang),
      balance: money(o.balanceCents, o.currency),
      daysLate: daysLate(o.dueDate, input.today),
    })),
    overdueCount: input.overdue.length,
    totalOverdue: money(sameCurrency.reduce((s, o) => s + o.balanceCents, 0)),
    returnReason: input.returnReason ?? '',
    payLink: input.payLink ?? '',
    portalLink: input.portalLink ?? '',
    portalShortLink: input.portalShortLink ?? '',
    previousReminders: (input.previous ?? []).map((p) => ({ name: p.stepName, date: formatDate(p.sentOn, lang) })),
    previousCount: input.previous?.length ?? 0,
    previousRemindersText: previousRemindersPhrase(input.previous ?? [], lang),
    language: lang === 'en' ? 'en' : 'fr',
    lateCharges: {
      interest: ifAny(charges.interestCents),
      indemnity: ifAny(charges.indemnityCents),
      total: ifAny(charges.interestCents + charges.indemnityCents),
      rate: charges.interestCents > 0 && charges.rateBp !== null ? formatRate(charges.rateBp, lang) : '',
    },
    totalClaimed: money(owed.claimedCents + charges.interestCents + charges.indemnityCents),
    notice: { days: input.noticeDays, deadline: formatDate(addDays(input.today, input.noticeDays), lang) },
    statementLines: [],
    statementCount: 0,
    statementTotal: '',
  };
}
