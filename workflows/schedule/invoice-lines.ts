/** One line of an invoice as the billing system sent it: what, how many, at what price before tax, at what VAT rate. */
export interface InvoiceLine {
  label: string;
  /** Thousandths of a unit: 1.5 hours is 1500. */
  quantityMilli: number;
  /** Before tax; negative for a discount line. */
  unitPriceCents: number;
  /** 2000 is 20 %, 550 is 5.5 %. */
  vatRateBp: number;
}

export interface InvoiceTotals {
  lines: (InvoiceLine & { netCents: number })[];
  netCents: number;
  /** One entry per VAT rate, highest first: the base before tax and the tax on it. */
  vat: { rateBp: number; baseCents: number; vatCents: number }[];
  vatCents: number;
  totalCents: number;
}

/** Half away from zero, as invoices round. */
const roundDiv = (n: bigint, d: bigint): number => {
  const q = (2n * (n < 0n ? -n : n) + d) / (2n * d);
  return Number(n < 0n ? -q : q);
};

/**
 * An invoice's amounts from its lines, as French invoices state them: each line's net amount
 * (quantity × unit price, to the cent), then the VAT of each rate on the sum of its lines' net
 * amounts, and the total including tax.
 */
export function invoiceTotals(lines: readonly InvoiceLine[]): InvoiceTotals {
  const withNet = lines.map((l) => ({ ...l, netCents: roundDiv(BigInt(l.quantityMilli) * BigInt(l.unitPriceCents), 1000n) }));
  const bases = new Map<number, number>();
  for (const l of withNet) bases.set(l.vatRateBp, (bases.get(l.vatRateBp) ?? 0) + l.netCents);
  const vat = [...bases.entries()]
    .sort(([a], [b]) => b - a)
    .map(([rateBp, baseCents]) => ({ rateBp, baseCents, vatCents: roundDiv(BigInt(baseCents) * BigInt(rateBp), 10_000n) }));
  const netCents = withNet.reduce((s, l) => s + l.netCents, 0);
  const vatCents = vat.reduce((s, v) => s + v.vatCents, 0);
  return { lines: withNet, netCents, vat, vatCents, totalCents: netCents + vatCents };
}
