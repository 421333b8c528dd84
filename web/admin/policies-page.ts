import type { Context } from 'hono';
import { z } from 'zod';
import { writeAudit } from '../../db/queries/audit.js';
import { openInvoiceIdsOfPolicy } from '../../db/queries/invoices.js';
import {
  addStep, createPolicy, deletePolicy, deleteStep, listPolicies, makeDefaultPolicy, moveStep, renamePolicy,
  sendingOptionsOf, stepById, stepsOfPolicy, stepUsage, updateStep, type FollowUpStep, type StepFields,
} from '../../db/queries/steps.js';
import type { WebDeps } from '../deps.js';
import { langOf, messages } from '../i18n.js';
import { wakeWorkflows } from '../../services/temporal/wake-workflows.js';
import { centsOf, parseForm, refusal } from './form.js';
import { policiesView, policyView } from './views/policies.js';
import { chargesPolicyOf, referenceRates } from '../../db/queries/late-charges.js';
import { getSettings } from '../../db/queries/settings.js';
import { localDate } from '../../workflows/schedule/zoned-time.js';
import type { AdminEnv } from './env.js';
import { outcomeOnPage, type Flash } from './flash.js';
import { sitePath } from './paths.js';

const policyName = z.string().trim().min(1, 'required').max(80, 'at most 80 characters');
const renamePolicyForm = z.object({ name: policyName });
const newPolicyForm = z.object({ name: policyName, copyFrom: z.coerce.number().int('a policy') });

const stepForm = z.object({
  name: z.string().trim().min(1, 'required').max(80, 'at most 80 characters'),
  colour: z.string().regex(/^#[0-9a-fA-F]{6}$/, 'a colour such as #d97706'),
  delayDays: z.coerce.number().int('whole days').min(-365, 'at least -365').max(365, 'at most 365'),
  channel: z.enum(['email', 'letter', 'both'], 'email, letter or both'),
  attachPdf: z.literal('on').optional().transform(Boolean),
  isFinal: z.literal('on').optional().transform(Boolean),
  fee: z.string().optional().transform((v, ctx) => {
    if (!v?.trim()) return null;
    const cents = centsOf(v);
    if (cents === undefined) ctx.addIssue({ code: 'custom', message: 'an amount such as 40.00, or empty' });
    return cents ?? null;
  }),
});

function toStepFields(v: z.infer<typeof stepForm>): StepFields {
  return { name: v.name, colour: v.colour, delayDays: v.delayDays, channel: v.channel, attachPdf: v.attachPdf, isFinal: v.isFinal, feeCents: v.fee };
}

/** The named sequences of steps; each customer follows the default one unless given another. */
export async function policiesPage(c: Context<AdminEnv>, deps: WebDeps, flash?: Flash) {
  const lang = langOf(c);
  const t = messages(lang);
  const shown = await outcomeOnPage(c, deps.sql, flash, '/settings/policies');
  if (shown.redirect) return shown.redirect;
  const [policies, rates, settings] = await Promise.all([listPolicies(deps.sql), referenceRates(deps.sql), getSettings(deps.sql)]);
  const view = policiesView({ policies, rates, today: localDate(Date.now(), settings.timezone), csrf: c.get('user').csrfToken, flash: shown.flash, lang, t });
  return c.render(t.policies, view, shown.status);
}

export async function createPolicyAction(c: Context<AdminEnv>, deps: WebDeps) {
  const t = messages(langOf(c));
  const parsed = parseForm(newPolicyForm, await c.req.parseBody(), langOf(c));
  if (!parsed.ok) return policiesPage(c, deps, { ok: false, text: `${t.refused}: ${parsed.message}` });
  const { name, copyFrom } = parsed.value;
  const policies = await listPolicies(deps.sql);
  if (!policies.some((p) => p.id === copyFrom)) return policiesPage(c, deps, { ok: false, text: refusal(c, 'copyFrom', t.notFound) });
  if (policies.some((p) => p.name === name)) return policiesPage(c, deps, { ok: false, text: refusal(c, 'name', t.nameTaken) });
  const created = await createPolicy(deps.sql, name, copyFrom);
  await writeAudit(deps.sql, { userId: c.get('user').id, action: 'policy.create', entity: `policy:${created}`, before: null, after: { name, copyFrom } });
  return c.redirect(sitePath`/settings/policies/${created}`, 303);
}

async function policyOfRoute(c: Context<AdminEnv>, deps: WebDeps) {
  const id = Number(c.req.param('id'));
  return (await listPolicies(deps.sql)).find((p) => p.id === id);
}

export async function makeDefaultPolicyAction(c: Context<AdminEnv>, deps: WebDeps) {
  const policy = await policyOfRoute(c, deps);
  if (!policy) return c.notFound();
  await makeDefaultPolicy(deps.sql, policy.id);
  await writeAudit(deps.sql, { userId: c.get('user').id, action: 'policy.default', entity: `policy:${policy.id}`, before: null, after: { name: policy.name, isDefault: true } });
  // Every customer without a policy of their own now follows this one.
  await wakeWorkflows(deps, await openInvoiceIdsOfPolicy(deps.sql, policy.id), 'steps');
  return policiesPage(c, deps, { ok: true, text: messages(langOf(c)).done });
}

export async function deletePolicyAction(c: Context<AdminEnv>, deps: WebDeps) {
  const t = messages(langOf(c));
  const policy = await policyOfRoute(c, deps);
  if (!policy) return c.notFound();
  if ((await deletePolicy(deps.sql, policy.id)) === 'in_use') return policiesPage(c, deps, { ok: false, text: `${t.refused}: ${t.policyInUse(policy.name, policy.customers)}` });
  await writeAudit(deps.sql, { userId: c.get('user').id, action: 'policy.delete', entity: `policy:${policy.id}`, before: { name: policy.name }, after: null });
  return policiesPage(c, deps, { ok: true, text: t.done });
}

export async function renamePolicyAction(c: Context<AdminEnv>, deps: WebDeps) {
  const t = messages(langOf(c));
  const policy = await policyOfRoute(c, deps);
  if (!policy) return c.notFound();
  const parsed = parseForm(renamePolicyForm, await c.req.parseBody(), langOf(c));
  if (!parsed.ok) return policyPage(c, deps, { ok: false, text: `${t.refused}: ${parsed.message}` });
  await renamePolicy(deps.sql, policy.id, parsed.value.name);
  await writeAudit(deps.sql, { userId: c.get('user').id, action: 'policy.rename', entity: `policy:${policy.id}`, before: { name: policy.name }, after: { name: parsed.value.name } });
  return policyPage(c, deps, { ok: true, text: t.done });
}

/** One policy's steps, each row its own form; htmx swaps the table, a plain POST reloads the page. */
export async function policyPage(c: Context<AdminEnv>, deps: WebDeps, flash?: Flash, policyId = Number(c.req.param('id'))) {
  const lang = langOf(c);
  const t = messages(lang);
  const policy = (await listPolicies(deps.sql)).find((p) => p.id === policyId);
  if (!policy) return c.notFound();
  const shown = await outcomeOnPage(c, deps.sql, flash, sitePath`/settings/policies/${policyId}`);
  if (shown.redirect) return shown.redirect;
  const [steps, sending, charges] = await Promise.all([stepsOfPolicy(deps.sql, policyId), sendingOptionsOf(deps.sql, policyId), chargesPolicyOf(deps.sql, policyId)]);
  const view = policyView({ policy, steps, sending, charges, csrf: c.get('user').csrfToken, flash: shown.flash, lang, t });
  return c.render(policy.name, view, shown.status);
}

export async function addStepAction(c: Context<AdminEnv>, deps: WebDeps) {
  const t = messages(langOf(c));
  const policyId = Number(c.req.param('id'));
  const parsed = parseForm(stepForm, await c.req.parseBody(), langOf(c));
  if (!parsed.ok) return policyPage(c, deps, { ok: false, text: `${t.refused}: ${parsed.message}` });
  const steps = await stepsOfPolicy(deps.sql, policyId);
  const last = steps.at(-1);
  if (last?.isFinal) return policyPage(c, deps, { ok: false, text: refusal(c, 'isFinal', t.afterFinal(last.name)) });
  const fields = toStepFields(parsed.value);
  // The new step starts with its predecessor's texts so it can send at once; they are edited next.
  const id = await addStep(deps.sql, policyId, fields, last?.id ?? null);
  await writeAudit(deps.sql, { userId: c.get('user').id, action: 'step.create', entity: `step:${id}`, before: null, after: fields });
  await wakeWorkflows(deps, await openInvoiceIdsOfPolicy(deps.sql, policyId), 'steps');
  return policyPage(c, deps, { ok: true, text: t.done });
}

/** A step of a policy, changed, moved or removed; every open invoice of the policy then replans. */
function stepChange(deps: WebDeps, change: (c: Context<AdminEnv>, step: FollowUpStep, steps: FollowUpStep[], refuse: (text: string) => Promise<Response>) => Promise<Response | undefined>) {
  return async (c: Context<AdminEnv>) => {
    const t = messages(langOf(c));
    const step = await stepById(deps.sql, Number(c.req.param('id')));
    if (!step) return c.notFound();
    const refuse = (text: string) => policyPage(c, deps, { ok: false, text: `${t.refused}: ${text}` }, step.policyId);
    const refused = await change(c, step, await stepsOfPolicy(deps.sql, step.policyId), refuse);
    if (refused) return refused;
    await wakeWorkflows(deps, await openInvoiceIdsOfPolicy(deps.sql, step.policyId), 'steps');
    return policyPage(c, deps, { ok: true, text: t.done }, step.policyId);
  };
}

const fieldsOf = ({ id: _id, policyId: _p, level: _l, ...fields }: FollowUpStep) => fields;

export const updateStepAction = (deps: WebDeps) => stepChange(deps, async (c, step, steps, refuse) => {
  const parsed = parseForm(stepForm, await c.req.parseBody(), langOf(c));
  if (!parsed.ok) return refuse(parsed.message);
  const after = toStepFields(parsed.value);
  if (after.isFinal && step.level < steps.length) return refuse(`isFinal: ${messages(langOf(c)).finalNotLast}`);
  await updateStep(deps.sql, step.id, after);
  await writeAudit(deps.sql, { userId: c.get('user').id, action: 'step.update', entity: `step:${step.id}`, before: fieldsOf(step), after });
  return undefined;
});

export const moveStepAction = (deps: WebDeps, direction: -1 | 1) => stepChange(deps, async (c, step, steps, refuse) => {
  const moved = steps[step.level - 1 + direction];
  const t = messages(langOf(c));
  if (!moved) return refuse(t.cannotMove);
  if (step.isFinal || moved.isFinal) return refuse(`isFinal: ${t.finalNotLast}`);
  await moveStep(deps.sql, step.id, direction);
  await writeAudit(deps.sql, { userId: c.get('user').id, action: 'step.move', entity: `step:${step.id}`, before: { level: step.level }, after: { level: step.level + direction } });
  return undefined;
});

export const deleteStepAction = (deps: WebDeps) => stepChange(deps, async (c, step, _steps, refuse) => {
  const usage = await stepUsage(deps.sql, step);
  if (usage.reminders > 0 || usage.openInvoicesAtOrPast > 0) return refuse(messages(langOf(c)).stepInUse(step.name, usage.reminders, usage.openInvoicesAtOrPast));
  await deleteStep(deps.sql, step);
  await writeAudit(deps.sql, { userId: c.get('user').id, action: 'step.delete', entity: `step:${step.id}`, before: fieldsOf(step), after: null });
  return undefined;
});
