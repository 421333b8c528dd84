const LOCALES: Record<string, string> = { fr: 'fr-FR', en: 'en-GB' };

export function formatMoney(cents: number, currency: string, language: string): string {
  return new Intl.NumberFormat(LOCALES[language] ?? 'fr-FR', { style: 'currency', currency }).format(cents / 100);
}

export function formatDate(isoDate: string, language: string): string {
  return new Intl.DateTimeFormat(LOCALES[language] ?? 'fr-FR', { dateStyle: 'long', timeZone: 'UTC' }).format(
    new Date(`${isoDate}T00:00:00Z`),
  );
}
