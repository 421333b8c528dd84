import type { Context } from 'hono';
import { z } from 'zod';
import { writeAudit } from '../../db/queries/audit.js';
import { chargesPolicyOf, saveChargesPolicy, saveReferenceRate } from '../../db/queries/late-charges.js';
import { openInvoiceIdsOfPolicy } from '../../db/queries/invoices.js';
import { sendingOptionsOf, setSendingOptions } from '../../db/queries/steps.js';
import { wakeWorkflows } from '../../services/temporal/wake-workflows.js';
import { CATCH_UP_MODES } from '../../workflows/schedule/plan.js';
import type { WebDeps } from '../deps.js';
import { langOf, messages } from '../i18n.js';
import { centsOf, parseForm, refusal } from './form.js';
import type { AdminEnv } from './env.js';
import type { Flash } from './flash.js';

// A percentage with two decimals reads like an amount: "12,15" is 1215 basis points.
const percent = (message: string) =>
  z.string().transform((v, ctx) => {
    const bp = centsOf(v || '0');
    if (bp === undefined || bp > 10_000) ctx.addIssue({ code: 'custom', message });
    return bp ?? 0;
  });

const chargesForm = z.object({
  interestRule: z.enum(['none', 'fixed', 'reference'], 'none, fixed or reference'),
  interestRate: percent('a yearly rate between 0 and 100, such as 10 or 12,15'),
  indemnity: z.preprocess((v) => v === 'on', z.boolean()),
  noticeDays: z.coerce.number().int('from 1 to 60 days').min(1, 'from 1 to 60 days').max(60, 'from 1 to 60 days'),
});

const rateForm = z.object({
  validFrom: z.string().regex(/^\d{4}-(01|07)-01$/, 'the first day of a half-year, 1 January or 1 July (YYYY-01-01 or YYYY-07-01)'),
  rate: z.string().transform((v, ctx) => {
    const clean = v.trim().replace(',', '.');
    if (!/^-?\d{1,2}(\.\d{1,2})?$/.test(clean)) ctx.addIssue({ code: 'custom', message: 'a rate in percent such as 2,15' });
    return Math.round(Number(clean) * 100);
  }),
});

export async function savePolicySendingAction(c: Context<AdminEnv>, deps: WebDeps): Promise<Flash> {
  const t = messages(langOf(c));
  const policyId = Number(c.req.param('id'));
  const form = await c.req.parseBody();
  const before = await sendingOptionsOf(deps.sql, policyId);
  const catchUp = form.catchUp === undefined ? before.catchUp : CATCH_UP_MODES.find((m) => m === form.catchUp);
  if (!catchUp) return { ok: false, text: refusal(c, 'catchUp', CATCH_UP_MODES.join(', ')) };
  const after = { statementMode: form.statementMode === 'on', needsApproval: form.needsApproval === 'on', catchUp };
  await setSendingOptions(deps.sql, policyId, after);
  // Invoices held for approval go once it is no longer needed; a new catch-up rule replans them.
  if ((before.needsApproval && !after.needsApproval) || before.catchUp !== after.catchUp) await wakeWorkflows(deps, await openInvoiceIdsOfPolicy(deps.sql, policyId));
  await writeAudit(deps.sql, { userId: c.get('user').id, action: 'policy.sending', entity: `policy:${policyId}`, before, after });
  return { ok: true, text: t.done };
}

export async function savePolicyChargesAction(c: Context<AdminEnv>, deps: WebDeps): Promise<Flash> {
  const t = messages(langOf(c));
  const policyId = Number(c.req.param('id'));
  const parsed = parseForm(chargesForm, await c.req.parseBody(), langOf(c));
  if (!parsed.ok) return { ok: false, text: `${t.refused}: ${parsed.message}` };
  const before = await chargesPolicyOf(deps.sql, policyId);
  const after = { kind: parsed.value.interestRule, bp: parsed.value.interestRate, indemnity: parsed.value.indemnity, noticeDays: parsed.value.noticeDays };
  await saveChargesPolicy(deps.sql, policyId, after);
  await writeAudit(deps.sql, { userId: c.get('user').id, action: 'policy.charges', entity: `policy:${policyId}`, before, after });
  return { ok: true, text: t.done };
}

export async function saveReferenceRateAction(c: Context<AdminEnv>, deps: WebDeps): Promise<Flash> {
  const t = messages(langOf(c));
  const parsed = parseForm(rateForm, await c.req.parseBody(), langOf(c));
  if (!parsed.ok) return { ok: false, text: `${t.refused}: ${parsed.message}` };
  await saveReferenceRate(deps.sql, { validFrom: parsed.value.validFrom, rateBp: parsed.value.rate });
  await writeAudit(deps.sql, { userId: c.get('user').id, action: 'reference_rate.save', entity: `reference_rate:${parsed.value.validFrom}`, before: null, after: parsed.value });
  return { ok: true, text: t.done };
}
