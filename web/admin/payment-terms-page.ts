import type { Context } from 'hono';
import { z } from 'zod';
import { writeAudit } from '../../db/queries/audit.js';
import { createPaymentTerms, deletePaymentTerms, listPaymentTerms } from '../../db/queries/payment-terms.js';
import { getSettings } from '../../db/queries/settings.js';
import { PaymentTermsError, scheduleOf, type DueRule, type InstallmentTerm, type PaymentTermsRule } from '../../workflows/schedule/payment-terms.js';
import { localDate } from '../../workflows/schedule/zoned-time.js';
import type { WebDeps } from '../deps.js';
import { langOf, messages } from '../i18n.js';
import type { AdminEnv } from './env.js';
import { outcomeOnPage, type Flash } from './flash.js';
import { centsOf, parseForm, refusal } from './form.js';
import { paymentTermsView, TERMS_ROWS } from './views/payment-terms.js';

/** The amount the page's examples are worked on. */
export const EXAMPLE_CENTS = 100_000;

const RULE_KINDS = ['at_order', 'days', 'days_end_of_month'] as const;
const days = z.coerce.number().int('from 0 to 365 days').min(0, 'from 0 to 365 days').max(365, 'from 0 to 365 days');
const ruleOf = (kind: (typeof RULE_KINDS)[number], n: number): DueRule => (kind === 'at_order' ? { kind } : { kind, days: n });

const termsForm = z.object({
  name: z.string().trim().min(1, 'required').max(120, 'at most 120 characters'),
  shape: z.enum(['due', 'installments'], 'one due date or a schedule'),
  dueRule: z.enum(RULE_KINDS, 'at order, days, or days end of month'),
  days: z.preprocess((v) => (v === '' ? '0' : v), days),
});

/** The schedule's rows that were filled in: a percentage, a rule, its days and a label. */
function installmentRows(form: Record<string, unknown>): { ok: true; terms: InstallmentTerm[] } | { ok: false; field: string; message: string } {
  const terms: InstallmentTerm[] = [];
  for (let i = 1; i <= TERMS_ROWS; i++) {
    const percentText = String(form[`percent${i}`] ?? '').trim();
    if (!percentText) continue;
    const basisPoints = centsOf(percentText);
    if (basisPoints === undefined || basisPoints === 0 || basisPoints > 10_000) return { ok: false, field: 'installments', message: `row ${i}: a percentage above 0 and at most 100, such as 30 or 8,33` };
    const kind = RULE_KINDS.find((k) => k === form[`dueRule${i}`]);
    if (!kind) return { ok: false, field: 'installments', message: `row ${i}: at order, days, or days end of month` };
    const n = days.safeParse(String(form[`days${i}`] ?? '') || '0');
    if (!n.success) return { ok: false, field: 'installments', message: `row ${i}: from 0 to 365 days` };
    terms.push({ percent: basisPoints / 100, rule: ruleOf(kind, n.data), label: String(form[`label${i}`] ?? '').trim().slice(0, 100) });
  }
  return { ok: true, terms };
}

export async function paymentTermsPage(c: Context<AdminEnv>, deps: WebDeps, flash?: Flash) {
  const lang = langOf(c);
  const shown = await outcomeOnPage(c, deps.sql, flash, '/settings/payment-terms');
  if (shown.redirect) return shown.redirect;
  const [terms, settings] = await Promise.all([listPaymentTerms(deps.sql), getSettings(deps.sql)]);
  const today = localDate(Date.now(), settings.timezone);
  const examples = terms.map((t) => ({ ...t, example: scheduleOf(today, EXAMPLE_CENTS, t.rule) }));
  return c.render(messages(lang).paymentTerms, paymentTermsView({ terms: examples, today, exampleCents: EXAMPLE_CENTS, csrf: c.get('user').csrfToken, flash: shown.flash, lang }), shown.status);
}

/** New named terms, checked on an example invoice (a schedule must make 100 %) before anything is written. */
export async function addPaymentTermsAction(c: Context<AdminEnv>, deps: WebDeps) {
  const lang = langOf(c);
  const t = messages(lang);
  const form = await c.req.parseBody();
  const parsed = parseForm(termsForm, form, lang);
  if (!parsed.ok) return paymentTermsPage(c, deps, { ok: false, text: `${t.refused}: ${parsed.message}` });
  let rule: PaymentTermsRule = { kind: 'due', rule: ruleOf(parsed.value.dueRule, parsed.value.days) };
  if (parsed.value.shape === 'installments') {
    const rows = installmentRows(form);
    if (!rows.ok) return paymentTermsPage(c, deps, { ok: false, text: refusal(c, rows.field, rows.message) });
    rule = { kind: 'installments', installments: rows.terms };
    try {
      scheduleOf('2026-01-01', EXAMPLE_CENTS, rule);
    } catch (err) {
      if (err instanceof PaymentTermsError) return paymentTermsPage(c, deps, { ok: false, text: refusal(c, 'installments', err.message) });
      throw err;
    }
  }
  if (!(await createPaymentTerms(deps.sql, { name: parsed.value.name, rule }))) return paymentTermsPage(c, deps, { ok: false, text: refusal(c, 'name', 'already the name of other terms') });
  await writeAudit(deps.sql, { userId: c.get('user').id, action: 'payment_terms.create', entity: `payment_terms:${parsed.value.name}`, before: null, after: rule });
  return paymentTermsPage(c, deps, { ok: true, text: t.done });
}

export async function deletePaymentTermsAction(c: Context<AdminEnv>, deps: WebDeps) {
  const t = messages(langOf(c));
  const removed = await deletePaymentTerms(deps.sql, Number(c.req.param('id')));
  if (!removed) return paymentTermsPage(c, deps, { ok: false, text: refusal(c, 'paymentTerms', 'not found') });
  await writeAudit(deps.sql, { userId: c.get('user').id, action: 'payment_terms.delete', entity: `payment_terms:${removed.name}`, before: removed.rule, after: null });
  return paymentTermsPage(c, deps, { ok: true, text: t.done });
}
