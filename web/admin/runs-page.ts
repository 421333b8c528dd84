import type { Context } from 'hono';
import { z } from 'zod';
import { bulkRunById, createBulkRun, requestBulkRunCancel, recentBulkRuns, runProblems } from '../../db/queries/bulk-runs.js';
import { bulkRunWorkflowId } from '../../workflows/ids.js';
import { cancelRunWorkflow, startRunSoon } from '../../services/temporal/run-client.js';
import type { WebDeps } from '../deps.js';
import { langOf, messages } from '../i18n.js';
import { parseForm } from './form.js';
import type { AdminEnv } from './env.js';
import { matchingInvoiceIds } from '../../db/queries/follow-up-list.js';
import { followUpFilterOf } from './follow-up-filter.js';
import { loadDunningFacts } from '../../db/queries/dunning-facts.js';
import { nextAction } from '../../workflows/schedule/next-action.js';
import { sitePath } from './paths.js';
import { confirmEarlyRunView, runProgressView, runRefusedView, runsView, runView } from './views/runs.js';
import { runWorkflowState } from '../../services/temporal/run-workflow-state.js';

const MAX_RUN = 50_000;
const runForm = z.object({
  invoice: z.array(z.coerce.number().int().positive()).max(MAX_RUN),
  // "All N matching the filter": the run takes every invoice the mass follow-up's filter matches.
  allMatching: z.literal('1').optional(),
  filter: z.string().max(2_000).optional(),
  // '' = each invoice's step due today; 'next' = each invoice's next level now, due or not; n = that level for all.
  level: z.preprocess((v) => (v === '' ? null : v), z.union([z.literal('next'), z.coerce.number().int().min(1).max(50)]).nullable()),
  channel: z.enum(['step', 'email', 'letter'], 'step, email or letter'),
  attachPdf: z.literal('on').optional().transform(Boolean),
  runKey: z.uuid('the key of the form, as it was shown').optional(),
  confirmed: z.literal('1').optional(),
});

/**
 * Starts a bulk run on the invoices checked in the mass follow-up, then shows its progress. Sending
 * the next level before it is due is asked for explicitly, and confirmed once the user has seen how
 * many invoices it concerns.
 */
export async function startRun(c: Context<AdminEnv>, deps: WebDeps) {
  const lang = langOf(c);
  const t = messages(lang);
  const body = await c.req.parseBody({ all: true });
  const parsed = parseForm(runForm, { ...body, invoice: [body.invoice ?? []].flat() }, langOf(c));
  const refused = (message: string) => c.render(t.bulkRun, runRefusedView(message, t), 422);
  if (!parsed.ok) return refused(parsed.message);
  const v = parsed.value;
  const filter = v.allMatching ? followUpFilterOf(v.filter ?? '') : undefined;
  const invoiceIds = filter ? await matchingInvoiceIds(deps.sql, filter, MAX_RUN) : v.invoice;
  if (invoiceIds.length === 0) return refused(`invoice: ${t.selectAtLeastOne}`);
  const channels = channelsChosen(body);
  if (!channels.ok) return refused(`${channels.field}: ${t.channelChoices}`);
  const sendEarly = v.level === 'next';
  if (sendEarly && !v.confirmed) return confirmEarlyRun(c, deps, invoiceIds, body);
  const runId = await createBulkRun(deps.sql, {
    userId: c.get('user').id, forcedLevel: typeof v.level === 'number' ? v.level : null, sendEarly, channel: v.channel, attachPdf: v.attachPdf, invoiceIds, runKey: v.runKey, channels: channels.value,
  });
  await startRunSoon(deps.temporal, deps.taskQueue, { kind: 'bulk', id: runId });
  return c.redirect(sitePath`/runs/${runId}`, 303);
}

/** The channels chosen row by row in the mass follow-up (`channel-<invoice id>`); an empty one keeps the run's. */
function channelsChosen(body: Record<string, unknown>): { ok: true; value: Map<number, 'email' | 'letter'> } | { ok: false; field: string } {
  const value = new Map<number, 'email' | 'letter'>();
  for (const [field, raw] of Object.entries(body)) {
    const id = /^channel-([1-9]\d{0,17})$/.exec(field)?.[1];
    if (!id || raw === '') continue;
    if (raw !== 'email' && raw !== 'letter') return { ok: false, field };
    value.set(Number(id), raw);
  }
  return { ok: true, value };
}

/** "Send early" names how many of the selected invoices are not yet due before anything goes out. */
async function confirmEarlyRun(c: Context<AdminEnv>, deps: WebDeps, invoiceIds: number[], body: Record<string, string | File | (string | File)[]>) {
  const lang = langOf(c);
  const t = messages(lang);
  const loaded = await loadDunningFacts(deps.sql, invoiceIds);
  const now = Date.now();
  const notDue = [...loaded.values()].filter((l) => nextAction(l.facts, now).kind === 'wait').length;
  return c.render(t.bulkRun, confirmEarlyRunView({ body, notDue, total: invoiceIds.length, t }));
}

export async function runsPage(c: Context<AdminEnv>, deps: WebDeps) {
  const t = messages(langOf(c));
  return c.render(t.bulkRuns, runsView({ runs: await recentBulkRuns(deps.sql), t }));
}

export async function runPage(c: Context<AdminEnv>, deps: WebDeps & { temporalUiUrl: string; namespace: string }) {
  const t = messages(langOf(c));
  const run = await bulkRunById(deps.sql, Number(c.req.param('id')));
  if (!run) return c.notFound();
  const problems = await runProblems(deps.sql, run.id);
  const temporalUrl = `${deps.temporalUiUrl}/namespaces/${deps.namespace}/workflows/${bulkRunWorkflowId(run.id)}`;
  return c.render(`${t.bulkRun} #${run.id}`, runView({ run, problems, temporalUrl, csrf: c.get('user').csrfToken, lang: langOf(c), t }));
}

export async function runProgress(c: Context<AdminEnv>, deps: WebDeps) {
  const run = await bulkRunById(deps.sql, Number(c.req.param('id')));
  if (!run) return c.notFound();
  const t = messages(langOf(c));
  const [workflow, problems] = await Promise.all([run.finishedAt ? null : runWorkflowState(deps, bulkRunWorkflowId(run.id)), runProblems(deps.sql, run.id)]);
  return c.html(runProgressView({ run, problems, workflow, csrf: c.get('user').csrfToken, lang: langOf(c), t }));
}

/** Cancels the run's workflow: the invoices not yet asked are left alone; those under way finish. */
export async function cancelRun(c: Context<AdminEnv>, deps: WebDeps) {
  const runId = Number(c.req.param('id'));
  const run = await bulkRunById(deps.sql, runId);
  if (!run) return c.notFound();
  if (!run.finishedAt) {
    // Written first: the asks under way stop at their next invoice even before Temporal delivers the cancel.
    await requestBulkRunCancel(deps.sql, runId);
    await cancelRunWorkflow(deps.temporal, bulkRunWorkflowId(runId));
  }
  return c.redirect(sitePath`/runs/${runId}`, 303);
}
