import { addDays, daysBetween, type IsoDate } from './calendar-date.js';

/**
 * Statutory late charges in France (Code de commerce L441-10, Directive 2011/7/EU): interest from
 * the day after the due date on the balance left unpaid, and a fixed recovery indemnity of 40 EUR
 * per invoice for business customers.
 */

export type InterestRule =
  | { kind: 'none' }
  /** A yearly rate, in basis points (1000 = 10 %). */
  | { kind: 'fixed'; rateBp: number }
  /** The ECB's refinancing rate in force on 1 January or 1 July of the half-year, plus points (in bp). */
  | { kind: 'reference'; plusBp: number };

/** The reference rate of each half-year from its first day, in basis points. */
export interface ReferenceRate {
  validFrom: IsoDate;
  rateBp: number;
}

export const RECOVERY_INDEMNITY_CENTS = 4000;

export interface LateChargesInput {
  dueDate: IsoDate;
  totalCents: number;
  /** A schedule of installments: each bears interest from the day after its own due date. */
  installments?: readonly { dueDate: IsoDate; amountCents: number }[];
  /** Payments and credit notes, any order; a payment stops interest on its amount from its own day. */
  payments: { paidOn: IsoDate; amountCents: number }[];
  /** Interest runs up to this day, included. */
  asOf: IsoDate;
  rule: InterestRule;
  referenceRates: ReferenceRate[];
  /** 40 EUR for a business customer when the policy charges it; never on a consumer. */
  indemnity: boolean;
}

export interface LateCharges {
  daysLate: number;
  interestCents: number;
  indemnityCents: number;
  /** The yearly rate in force on `asOf`, in basis points (null without interest). */
  rateBp: number | null;
  /** The half-years whose reference rate is unknown: interest on those days is not counted. */
  missingRates: IsoDate[];
}

const isLeap = (year: number) => (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
const halfYearStart = (d: IsoDate): IsoDate => `${d.slice(0, 4)}-${Number(d.slice(5, 7)) <= 6 ? '01' : '07'}-01`;
const nextHalfYear = (d: IsoDate): IsoDate => (d.slice(5) === '01-01' ? `${d.slice(0, 4)}-07-01` : `${Number(d.slice(0, 4)) + 1}-01-01`);

function rateOn(day: IsoDate, rule: InterestRule, rates: ReferenceRate[]): number | null {
  if (rule.kind === 'fixed') return rule.rateBp;
  if (rule.kind !== 'reference') return 0;
  // Each half-year has its published rate; a missing one is reported, never carried over.
  const known = rates.find((r) => r.validFrom === halfYearStart(day));
  return known ? known.rateBp + rule.plusBp : null;
}

/**
 * Interest accrued day by day: each day's balance × the yearly rate ÷ the days of that year (366 in
 * a leap year), summed exactly and rounded once, half up, to the cent.
 */
export function lateCharges(input: LateChargesInput): LateCharges {
  const schedule = input.installments?.length ? input.installments : [{ dueDate: input.dueDate, amountCents: input.totalCents }];
  const firstDue = schedule.map((i) => i.dueDate).sort()[0]!;
  const daysLate = Math.max(0, daysBetween(firstDue, input.asOf));
  const indemnityCents = input.indemnity && daysLate > 0 ? RECOVERY_INDEMNITY_CENTS : 0;
  if (input.rule.kind === 'none' || daysLate === 0) {
    return { daysLate, interestCents: 0, indemnityCents, rateBp: input.rule.kind === 'none' ? null : rateOn(input.asOf, input.rule, input.referenceRates), missingRates: [] };
  }
  const payments = [...input.payments].sort((a, b) => (a.paidOn < b.paidOn ? -1 : 1));
  // What had fallen due before the day, less what was paid by then.
  const balanceOn = (day: IsoDate) =>
    Math.max(0, schedule.filter((i) => i.dueDate < day).reduce((s, i) => s + i.amountCents, 0) - payments.filter((p) => p.paidOn <= day).reduce((s, p) => s + p.amountCents, 0));
  // Σ balance × bp × days, kept apart by the length of the year, as exact integers.
  const sums = { 365: 0n, 366: 0n };
  const missing = new Set<IsoDate>();
  // Segments of constant balance, rate and year length: cut at payments, installments falling due and half-years.
  const cuts = new Set<IsoDate>([...payments.map((p) => p.paidOn), ...schedule.map((i) => addDays(i.dueDate, 1))].filter((d) => d > firstDue && d <= input.asOf));
  for (let h = nextHalfYear(halfYearStart(addDays(firstDue, 1))); h <= input.asOf; h = nextHalfYear(h)) cuts.add(h);
  const starts = [addDays(firstDue, 1), ...[...cuts].sort()].filter((d, i, all) => all.indexOf(d) === i);
  for (const [i, from] of starts.entries()) {
    const until = i + 1 < starts.length ? addDays(starts[i + 1]!, -1) : input.asOf;
    const days = daysBetween(from, until) + 1;
    const balance = balanceOn(from);
    if (days <= 0 || balance <= 0) continue;
    const rate = rateOn(from, input.rule, input.referenceRates);
    if (rate === null) {
      missing.add(halfYearStart(from));
      continue;
    }
    const year = isLeap(Number(from.slice(0, 4))) ? 366 : 365;
    sums[year] += BigInt(balance) * BigInt(rate) * BigInt(days);
  }
  // interest = s365 / (10000 × 365) + s366 / (10000 × 366), rounded half up.
  const denominator = 10_000n * 365n * 366n;
  const numerator = sums[365] * 366n + sums[366] * 365n;
  const interestCents = Number((numerator * 2n + denominator) / (2n * denominator));
  return { daysLate, interestCents, indemnityCents, rateBp: rateOn(input.asOf, input.rule, input.referenceRates), missingRates: [...missing] };
}
