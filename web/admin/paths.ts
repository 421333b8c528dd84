/**
 * A URL path (and query) of our own site with every value encoded as one segment, so an invoice
 * number like `2026/123` or `../customers/C-X` stays the one record it names:
 * sitePath`/invoices/${number}/pause`.
 */
export function sitePath(strings: TemplateStringsArray, ...values: (string | number)[]): string {
  return strings.reduce((out, part, i) => out + part + (i < values.length ? encodeURIComponent(String(values[i])) : ''), '');
}

/** The origin of a header value (Origin, Referer); "null" or garbage count as no match. */
export function originOf(value: string): string | null {
  return URL.canParse(value) ? new URL(value).origin : null;
}

/** Where to send the user back: the page they came from when it is on our own origin, else the dashboard. */
export function sameOriginReferrer(referer: string | undefined, origin: string): string {
  return referer && originOf(referer) === origin ? referer : '/';
}

/** A record id given in a query: undefined when absent, null when it cannot be one. */
export function recordIdOf(text: string | undefined): number | undefined | null {
  if (text === undefined || text === '') return undefined;
  return /^[0-9]{1,15}$/.test(text) && Number(text) > 0 ? Number(text) : null;
}
