import type { Context } from 'hono';
import { html } from 'hono/html';
import { z } from 'zod';
import { bulkRunById, createBulkRun, requestBulkRunCancel, recentBulkRuns, runProblems, type BulkRun } from '../../db/queries/bulk-runs.js';
import { bulkRunWorkflowId } from '../../workflows/ids.js';
import { cancelRunWorkflow, startRunSoon } from '../../services/temporal/run-client.js';
import type { WebDeps } from '../deps.js';
import { langOf, messages, type Messages } from '../i18n.js';
import { parseForm } from './form.js';
import type { AdminEnv } from './env.js';
import { matchingInvoiceIds } from '../../db/queries/follow-up-list.js';
import { followUpFilterOf } from './follow-up.js';
import { loadDunningFacts } from '../../db/queries/dunning-facts.js';
import { nextAction } from '../../workflows/schedule/next-action.js';
import { runLetterButtons } from './letter-downloads.js';
import { sitePath } from './paths.js';
import { runWorkflowState, type RunWorkflowState } from '../../services/temporal/run-workflow-state.js';

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
  const parsed = parseForm(runForm, { ...body, invoice: [body.invoice ?? []].flat() });
  const refused = (message: string) =>
    c.render(t.bulkRun, html`<p class="card error">${t.refused}: ${message}</p><p><a href="/invoices">← ${t.followUp}</a></p>`, 422);
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
  const fields = Object.entries(body).flatMap(([name, value]) => [value].flat().map((v) => [name, String(v)] as const));
  return c.render(t.bulkRun, html`<h1>${t.bulkRun}</h1><form method="post" action="/runs" class="card" data-testid="confirm-early">
        ${fields.map(([name, value]) => html`<input type="hidden" name="${name}" value="${value}">`)}
        <input type="hidden" name="confirmed" value="1">
        <p class="warn" data-testid="early-count">${t.earlyRunWarning(notDue, invoiceIds.length)}</p>
        <p><button type="submit" class="primary">${t.confirmEarlyRun(invoiceIds.length)}</button> <a href="/invoices">${t.cancel}</a></p>
      </form>`);
}

export async function runsPage(c: Context<AdminEnv>, deps: WebDeps) {
  const lang = langOf(c);
  const t = messages(lang);
  const runs = await recentBulkRuns(deps.sql);
  return c.render(t.bulkRuns, html`<h1>${t.bulkRuns}</h1><section class="card">${runs.length === 0 ? html`<p class="muted">${t.none}</p>` : html`<table>
        <thead><tr><th>#</th><th>${t.date}</th><th>${t.user}</th><th>${t.channel}</th><th class="num">${t.invoices}</th><th>${t.progress}</th></tr></thead>
        <tbody>${runs.map((r) => html`<tr><td><a href="${sitePath`/runs/${r.id}`}">#${r.id}</a></td><td>${r.createdAt.toISOString().slice(0, 16).replace('T', ' ')}</td>
          <td>${r.createdBy ?? ''}</td><td>${t.channels[r.channel]}</td><td class="num">${r.total}</td><td>${r.done} / ${r.total}${r.failed ? html` · <span class="failed">${r.failed}</span>` : ''}</td></tr>`)}</tbody></table>`}</section>`);
}

/**
 * The run's progress, polled while it goes on. A run whose workflow is no longer running although
 * the run never finished (terminated in Temporal) says so instead of polling forever.
 */
/** What a page says of a run not finished, from where its workflow stands. */
export function runUnderWay(workflow: RunWorkflowState | null, t: Messages): string {
  if (workflow?.state === 'waiting') return t.runWaitingForEngine;
  if (workflow?.state === 'unknown') return t.runEngineUnreachable;
  return t.runRunning;
}

function progressPartial(run: BulkRun, csrf: string, t: Messages, workflow: RunWorkflowState | null = null) {
  const workflowEnded = workflow?.state === 'closed' ? workflow.status : null;
  const finished = run.finishedAt !== null || workflowEnded !== null;
  const title = run.cancelledAt
    ? t.runCancelled(run.done, run.total)
    : workflowEnded ? t.runEndedInTemporal(workflowEnded) : finished ? t.runFinished : runUnderWay(workflow, t);
  return html`<section class="card" id="run-progress" ${finished ? '' : html`hx-get="${sitePath`/runs/${run.id}/progress`}" hx-trigger="every 1s" hx-swap="outerHTML"`}>
    <h2 data-testid="run-title">${title}</h2>
    ${finished ? '' : html`<form method="post" action="${sitePath`/runs/${run.id}/cancel`}" class="action"><input type="hidden" name="_csrf" value="${csrf}"><button class="danger" data-testid="cancel-run">${t.cancelRun}</button></form>`}
    <progress max="${Math.max(run.total, 1)}" value="${run.done}" data-testid="run-progress"></progress>
    <p><strong data-testid="run-done">${run.done}</strong> / ${run.total} · ${t.failedCount(run.failed)} · ${t.lettersCount(run.letters)}</p>
    ${finished && run.letters > 0 ? runLetterButtons(run, csrf, t) : ''}
    ${finished && run.failed ? html`<p><a href="${sitePath`/runs/${run.id}`}">${t.seeProblems}</a></p>` : ''}
  </section>`;
}

export async function runPage(c: Context<AdminEnv>, deps: WebDeps & { temporalUiUrl: string; namespace: string }) {
  const lang = langOf(c);
  const t = messages(lang);
  const run = await bulkRunById(deps.sql, Number(c.req.param('id')));
  if (!run) return c.notFound();
  const problems = await runProblems(deps.sql, run.id);
  return c.render(`${t.bulkRun} #${run.id}`, html`<p><a href="/runs">← ${t.bulkRuns}</a></p>
      <h1>${t.bulkRun} #${run.id} <span class="badge">${run.forcedLevel ? `${t.level} ${run.forcedLevel}` : run.sendEarly ? t.nextLevelNow : t.computedLevel}</span> <span class="badge">${t.channels[run.channel]}</span></h1>
      ${progressPartial(run, c.get('user').csrfToken, t)}
      <p><a href="${deps.temporalUiUrl}/namespaces/${deps.namespace}/workflows/${bulkRunWorkflowId(run.id)}" target="_blank" rel="noopener">${t.openInTemporal} ↗</a></p>
      ${problemsCard(problems, t)}`);
}

/** The invoices that failed or were left out, with why; refreshed with the progress, so it never lags behind the count. */
function problemsCard(problems: Awaited<ReturnType<typeof runProblems>>, t: Messages, outOfBand = false) {
  return html`<section class="card" id="run-problems" ${outOfBand ? html`hx-swap-oob="true"` : ''}><h2>${t.runProblems}</h2>${problems.length === 0 ? html`<p class="muted">${t.none}</p>` : html`<table>
    <thead><tr><th>${t.invoice}</th><th>${t.customer}</th><th>${t.status}</th><th>${t.level}</th><th>${t.reason}</th></tr></thead>
    <tbody>${problems.map((p) => html`<tr class="${p.outcome === 'skipped' || p.outcome === 'cancelled' ? '' : 'row-red'}"><td><a href="${sitePath`/invoices/${p.invoiceNumber}`}">${p.invoiceNumber}</a></td>
      <td>${p.customerName}</td><td>${t.runItemOutcomes[p.outcome]}</td><td>${p.level ?? ''}</td><td>${p.reason ?? ''}</td></tr>`)}</tbody></table>`}</section>`;
}

export async function runProgress(c: Context<AdminEnv>, deps: WebDeps) {
  const run = await bulkRunById(deps.sql, Number(c.req.param('id')));
  if (!run) return c.notFound();
  const t = messages(langOf(c));
  const [workflow, problems] = await Promise.all([run.finishedAt ? null : runWorkflowState(deps, bulkRunWorkflowId(run.id)), runProblems(deps.sql, run.id)]);
  return c.html(html`${progressPartial(run, c.get('user').csrfToken, t, workflow)}${problemsCard(problems, t, true)}`);
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
