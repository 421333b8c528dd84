import type { InstallmentState } from '../workflows/schedule/amounts-owed.js';

const LOCALES: Record<string, string> = { fr: 'fr-FR', en: 'en-GB' };

// Building an Intl formatter costs far more than using one; a page of 50 rows uses a few hundred.
const formatters = new Map<string, Intl.NumberFormat | Intl.DateTimeFormat>();
function formatter<T extends Intl.NumberFormat | Intl.DateTimeFormat>(key: string, make: () => T): T {
  let f = formatters.get(key) as T | undefined;
  if (!f) formatters.set(key, (f = make()));
  return f;
}

export function formatMoney(cents: number, currency: string, language: string): string {
  const locale = LOCALES[language] ?? 'fr-FR';
  return formatter(`money:${locale}:${currency}`, () => new Intl.NumberFormat(locale, { style: 'currency', currency })).format(cents / 100);
}

export function formatDate(isoDate: string, language: string): string {
  const locale = LOCALES[language] ?? 'fr-FR';
  const long = formatter(`date:${locale}`, () => new Intl.DateTimeFormat(locale, { dateStyle: 'long', timeZone: 'UTC' })).format(new Date(`${isoDate}T00:00:00Z`));
  // French writes the first of the month as an ordinal: « 1er juillet 2026 », which Intl does not.
  return locale === 'fr-FR' ? long.replace(/^1 /, '1er ') : long;
}

/** An instant as a person reads it on a page, in the company's time zone: "02/12/2026 09:30". */
export function formatInstant(at: Date, language: string, timeZone: string, timeStyle: 'short' | 'medium' = 'short'): string {
  const locale = LOCALES[language] ?? 'fr-FR';
  return formatter(`instant:${locale}:${timeZone}:${timeStyle}`, () => new Intl.DateTimeFormat(locale, { dateStyle: 'short', timeStyle, timeZone })).format(at);
}

/** A yearly rate in basis points as people write it: "12,15 %" or "12.15%". */
export function formatRate(bp: number, language: string): string {
  const locale = LOCALES[language] ?? 'fr-FR';
  return formatter(`rate:${locale}`, () => new Intl.NumberFormat(locale, { style: 'percent', minimumFractionDigits: 2, maximumFractionDigits: 2 })).format(bp / 10_000);
}

/** A VAT rate in basis points as an invoice prints it: "20 %", "5,5 %". */
export function formatVatRate(bp: number, language: string): string {
  const locale = LOCALES[language] ?? 'fr-FR';
  return formatter(`vat:${locale}`, () => new Intl.NumberFormat(locale, { style: 'percent', maximumFractionDigits: 2 })).format(bp / 10_000);
}

/** A quantity in thousandths of a unit: "1,5", "12". */
export function formatQuantity(milli: number, language: string): string {
  const locale = LOCALES[language] ?? 'fr-FR';
  return formatter(`quantity:${locale}`, () => new Intl.NumberFormat(locale, { maximumFractionDigits: 3 })).format(milli / 1000);
}

/** How an installment stands, in the reader's words: on the invoice page and on the letter's invoice copy. */
export const INSTALLMENT_STATE_NAMES: Record<'fr' | 'en', Record<InstallmentState, string>> = {
  fr: { paid: 'Payée', due: 'Échue', to_come: 'À échoir' },
  en: { paid: 'Paid', due: 'Due', to_come: 'Not yet due' },
};
