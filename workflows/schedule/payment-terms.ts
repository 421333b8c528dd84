import { addDays, endOfMonth, type IsoDate } from './calendar-date.js';

/** How a due date follows from a reference date (the issue date, or the installment above). */
export type DueRule =
  | { kind: 'at_order' }
  | { kind: 'days'; days: number }
  | { kind: 'days_end_of_month'; days: number };

export interface InstallmentTerm {
  percent?: number;
  amountCents?: number;
  rule: DueRule;
  label?: string;
}

export interface Installment {
  seq: number;
  dueDate: IsoDate;
  amountCents: number;
  label: string;
}

export class PaymentTermsError extends Error {
  constructor(
    readonly field: string,
    message: string,
  ) {
    super(message);
    this.name = 'PaymentTermsError';
  }
}

/** "30 jours fin de mois": add the days, then go to the end of that month. */
export function applyDueRule(from: IsoDate, rule: DueRule): IsoDate {
  switch (rule.kind) {
    case 'at_order':
      return from;
    case 'days':
      return addDays(from, rule.days);
    case 'days_end_of_month':
      return endOfMonth(addDays(from, rule.days));
  }
}

const BASIS_POINTS = 10_000;

/**
 * Splits an invoice into installments, each due relative to the one above (the first to the issue
 * date). Lines give a percent (two decimals at most) or a fixed amount; together they must make
 * exactly 100 % of the total. Percent lines are rounded to the cent and the last one takes the rest.
 */
export function planInstallments(issueDate: IsoDate, totalCents: number, terms: InstallmentTerm[]): Installment[] {
  if (terms.length === 0) throw new PaymentTermsError('installments', 'at least one installment is required');
  let percentBp = 0;
  let fixedCents = 0;
  terms.forEach((t, i) => {
    const field = `installments[${i}]`;
    if ((t.percent === undefined) === (t.amountCents === undefined)) {
      throw new PaymentTermsError(field, 'give either percent or amountCents');
    }
    if (t.percent !== undefined) {
      const bp = Math.round(t.percent * 100);
      if (t.percent <= 0 || t.percent > 100 || Math.abs(bp - t.percent * 100) > 1e-6) {
        throw new PaymentTermsError(`${field}.percent`, 'must be above 0 and at most 100, with two decimals at most');
      }
      percentBp += bp;
    } else if (!Number.isInteger(t.amountCents) || t.amountCents! <= 0) {
      throw new PaymentTermsError(`${field}.amountCents`, 'must be a positive whole number of cents');
    } else {
      fixedCents += t.amountCents!;
    }
  });
  // Exactly 100 %: the percent lines must cover what the fixed amounts leave.
  if (fixedCents > totalCents || percentBp * totalCents !== (totalCents - fixedCents) * BASIS_POINTS) {
    throw new PaymentTermsError(
      'installments',
      `must total exactly 100 % of the invoice (percent lines make ${(percentBp / 100).toFixed(2)} %, fixed amounts ${fixedCents} cents of ${totalCents})`,
    );
  }
  const amounts = terms.map((t) => t.amountCents ?? Math.round((totalCents * Math.round(t.percent! * 100)) / BASIS_POINTS));
  const lastPercent = terms.map((t) => t.percent !== undefined).lastIndexOf(true);
  if (lastPercent >= 0) amounts[lastPercent]! += totalCents - amounts.reduce((a, b) => a + b, 0);
  let reference = issueDate;
  return terms.map((t, i) => {
    reference = applyDueRule(reference, t.rule);
    return { seq: i + 1, dueDate: reference, amountCents: amounts[i]!, label: t.label ?? '' };
  });
}

/** Named payment terms: one due date from a rule, or a schedule of installments. */
export type PaymentTermsRule = { kind: 'due'; rule: DueRule } | { kind: 'installments'; installments: InstallmentTerm[] };

/**
 * What an invoice's terms make of it: its due date (the last installment's, with a schedule) and
 * its installments. The one place a due date is computed from terms, for the API, the import and
 * the settings' preview.
 */
export function scheduleOf(issueDate: IsoDate, totalCents: number, terms: PaymentTermsRule): { dueDate: IsoDate; installments: Installment[] } {
  if (terms.kind === 'due') return { dueDate: applyDueRule(issueDate, terms.rule), installments: [] };
  const installments = planInstallments(issueDate, totalCents, terms.installments);
  return { dueDate: installments.at(-1)!.dueDate, installments };
}
