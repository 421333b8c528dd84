import { z } from '@hono/zod-openapi';
import { isIsoDate } from '../../workflows/schedule/calendar-date.js';
import { PAYMENT_METHODS } from '../../db/queries/payments.js';
import { invoiceTotals, type InvoiceLine } from '../../workflows/schedule/invoice-lines.js';

export const isoDate = z
  .string()
  .refine(isIsoDate, 'must be a calendar date written YYYY-MM-DD')
  .openapi({ example: '2026-11-30', format: 'date' });

const cents = (what: string) => z.number({ error: `${what} must be a number of cents` }).int('must be a whole number of cents').max(9e15, 'is too large');

/**
 * The words of our own routes (API and admin). A reference or number equal to one of them, or with
 * a `/`-separated part equal to one, would read as a route in a URL built carelessly, or look like one
 * in a log; refusing them costs an honest billing system nothing.
 */
const ROUTE_WORDS = new Set([
  'openapi.json', 'api', 'v1', 'invoices', 'customers', 'payments', 'dunning', 'pause', 'resume', 'send-now', 'pdf', 'mandate', 'stripe', 'policy',
  'manual-reminder', 'factur-x', 'notes', 'dispute', 'take-dispute', 'close-dispute', 'promise', 'withdraw-promise', 'late-charges', 'tracking', 'runs', 'documents', 'settings', 'login', 'logout',
]);

/** Why an identifier that travels in URLs is refused, or undefined when it is fine. */
export function identifierProblem(value: string): string | undefined {
  if (value.includes('..')) return 'must not contain ".."';
  if (value.startsWith('/') || value.endsWith('/') || value.includes('//')) return 'must not start or end with "/" nor hold "//"';
  if (value.split('/').some((part) => ROUTE_WORDS.has(part.toLowerCase()))) return 'must not be, nor hold a part equal to, a word of our routes (openapi.json, pause, pdf…)';
  return undefined;
}

const identifier = (pattern: RegExp, rule: string) =>
  z.string().regex(pattern, rule).superRefine((value, ctx) => {
    const problem = identifierProblem(value);
    if (problem) ctx.addIssue({ code: 'custom', message: problem });
  });

export const refParam = z.object({
  ref: identifier(/^[A-Za-z0-9._:-]{1,64}$/, 'letters, digits and . _ : - only, 64 at most').openapi({ param: { name: 'ref', in: 'path' }, example: 'C-1001' }),
});
export const numberParam = z.object({
  number: identifier(/^[A-Za-z0-9._/:-]{1,64}$/, 'letters, digits and . _ / : - only, 64 at most').openapi({ param: { name: 'number', in: 'path' }, example: 'F-2026/0042' }),
});

export const customerBody = z
  .object({
    name: z.string().trim().min(1, 'is required').max(200, 'is longer than 200 characters'),
    emails: z.array(z.email({ error: 'is not a valid e-mail address' })).max(10, 'at most 10 addresses').default([]),
    address: z
      .object({
        line1: z.string().max(200).default(''),
        line2: z.string().max(200).default(''),
        postalCode: z.string().max(20).default(''),
        city: z.string().max(100).default(''),
        country: z.string().regex(/^[A-Z]{2}$/, 'must be a two-letter ISO country code').default('FR'),
      })
      .default({ line1: '', line2: '', postalCode: '', city: '', country: 'FR' }),
    language: z.enum(['fr', 'en'], { error: 'must be fr or en' }).default('fr'),
  })
  .strict()
  .openapi('Customer');

const dueRule = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('at_order') }),
  z.object({ kind: z.literal('days'), days: z.number().int().min(0).max(365) }),
  z.object({ kind: z.literal('days_end_of_month'), days: z.number().int().min(0).max(365) }),
]);

// Decimals as a person types them: a quantity to the thousandth, a VAT rate to the hundredth of a percent.
const decimals = (places: number) => (n: number) => Math.abs(Math.round(n * 10 ** places) - n * 10 ** places) < 1e-6;

const invoiceLine = z
  .object({
    label: z.string().trim().min(1, 'is required').max(300, 'is longer than 300 characters'),
    quantity: z.number({ error: 'must be a number' }).positive('must be above zero').max(1e9, 'is too large').refine(decimals(3), 'three decimals at most'),
    unitPriceCents: cents('unitPriceCents').min(-9e12, 'is too large').max(9e12, 'is too large').openapi({ description: 'Before tax; negative for a discount' }),
    vatRate: z.number({ error: 'must be a number' }).min(0, 'from 0 to 100').max(100, 'from 0 to 100').refine(decimals(2), 'two decimals at most').openapi({ example: 20 }),
  })
  .strict();

/** The lines of a request as stored: quantities in thousandths, rates in basis points. */
export function toInvoiceLines(lines: readonly z.infer<typeof invoiceLine>[]): InvoiceLine[] {
  return lines.map((l) => ({ label: l.label, quantityMilli: Math.round(l.quantity * 1000), unitPriceCents: l.unitPriceCents, vatRateBp: Math.round(l.vatRate * 100) }));
}

export const invoiceBody = z
  .object({
    customerRef: refParam.shape.ref,
    issueDate: isoDate,
    currency: z.string().regex(/^[A-Z]{3}$/, 'must be a three-letter ISO currency code such as EUR'),
    totalCents: cents('totalCents').positive('must be above zero'),
    dueDate: isoDate.optional(),
    dueRule: dueRule.optional().openapi({ description: 'Due date from the issue date: at order, n days, or n days end of month' }),
    installments: z
      .array(
        z.object({
          percent: z.number().optional(),
          amountCents: z.number().optional(),
          rule: dueRule,
          label: z.string().max(100).optional(),
        }),
      )
      .max(60)
      .optional()
      .openapi({ description: 'A payment schedule, each line due relative to the line above; must total 100 %' }),
    paymentTerms: z.string().trim().min(1, 'is required').max(120, 'is longer than 120 characters').optional()
      .openapi({ description: "Named payment terms from the settings (\"45 jours fin de mois\"): they compute the due date or the installments. Without dueDate, dueRule, installments or paymentTerms, the customer's default terms apply" }),
    lines: z.array(invoiceLine).max(500, 'at most 500 lines').optional()
      .openapi({ description: "What was sold: the copy of the invoice shows them with the VAT of each rate; together they must make totalCents" }),
    status: z.enum(['open', 'cancelled']).default('open'),
    sentAt: isoDate.optional().openapi({ description: 'The day the invoice itself was sent to the customer: a "document sent" entry on its timeline' }),
  })
  .strict()
  .superRefine((v, ctx) => {
    const given = [v.dueDate, v.dueRule, v.installments, v.paymentTerms].filter((x) => x !== undefined).length;
    if (given > 1) ctx.addIssue({ code: 'custom', path: ['dueDate'], message: 'give one of dueDate, dueRule, installments or paymentTerms, not several' });
    if (v.dueDate && v.dueDate < v.issueDate) ctx.addIssue({ code: 'custom', path: ['dueDate'], message: 'is before issueDate' });
    if (v.lines?.length) {
      // The copy must never contradict the total the customer owes.
      const made = invoiceTotals(toInvoiceLines(v.lines)).totalCents;
      if (made !== v.totalCents) ctx.addIssue({ code: 'custom', path: ['lines'], message: `the lines make ${made} cents including VAT, not ${v.totalCents}` });
    }
  })
  .openapi('Invoice');

export type InvoiceBody = z.infer<typeof invoiceBody>;

export const paymentBody = z
  .object({
    invoiceNumber: numberParam.shape.number,
    amountCents: cents('amountCents').positive('must be above zero'),
    currency: z.string().regex(/^[A-Z]{3}$/, 'must be a three-letter ISO currency code'),
    paidOn: isoDate,
    method: z.enum(PAYMENT_METHODS),
    externalId: z.string().min(1).max(200).openapi({ description: 'Your id for this payment: sending it twice records it once' }),
  })
  .strict()
  .openapi('Payment');

export const pauseBody = z.object({ reason: z.string().trim().min(1, 'is required').max(500) }).strict();
export const sendNowBody = z
  .object({
    level: z.number().int().min(1).optional(),
    note: z.string().max(1000).optional(),
    channel: z.enum(['email', 'letter'], { error: 'must be email or letter' }).optional(),
    attachPdf: z.boolean().optional(),
    nextPlannedOn: isoDate.optional().openapi({ description: "The next reminder's date, instead of the next step's computed one" }),
  })
  .strict()
  .default({});
