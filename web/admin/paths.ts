/**
 * A URL path (and query) of our own site with every value encoded as one segment, so an invoice
 * number like `2026/123` or `../customers/C-X` stays the one record it names:
 * sitePath`/invoices/${number}/pause`.
 */
export function sitePath(strings: TemplateStringsArray, ...values: (string | number)[]): string {
  return strings.reduce((out, part, i) => out + part + (i < values.length ? encodeURIComponent(String(values[i])) : ''), '');
}

/** A record id given in a query: undefined when absent, null when it cannot be one. */
export function recordIdOf(text: string | undefined): number | undefined | null {
  if (text === undefined || text === '') return undefined;
  return /^[0-9]{1,15}$/.test(text) && Number(text) > 0 ? Number(text) : null;
}
