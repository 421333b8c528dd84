import { html } from 'hono/html';
import type { BulkRun, recentBulkRuns, runProblems } from '../../../db/queries/bulk-runs.js';
import type { RunWorkflowState } from '../../../services/temporal/run-workflow-state.js';
import type { Lang, Messages } from '../../i18n.js';
import { reasonText } from '../../reason-texts.js';
import { sitePath } from '../paths.js';
import { runLetterButtons } from './letter-links.js';

type Problems = Awaited<ReturnType<typeof runProblems>>;

export function runRefusedView(message: string, t: Messages) {
  return html`<p class="card error">${t.refused}: ${message}</p><p><a href="/invoices">← ${t.followUp}</a></p>`;
}

export type ConfirmEarlyRunModel = { body: Record<string, string | File | (string | File)[]>; notDue: number; total: number; t: Messages };

/** "Send early" names how many of the selected invoices are not yet due before anything goes out; the form is posted again as it was. */
export function confirmEarlyRunView({ body, notDue, total, t }: ConfirmEarlyRunModel) {
  const fields = Object.entries(body).flatMap(([name, value]) => [value].flat().map((v) => [name, String(v)] as const));
  return html`<h1>${t.bulkRun}</h1><form method="post" action="/runs" class="card" data-testid="confirm-early">
        ${fields.map(([name, value]) => html`<input type="hidden" name="${name}" value="${value}">`)}
        <input type="hidden" name="confirmed" value="1">
        <p class="warn" data-testid="early-count">${t.earlyRunWarning(notDue, total)}</p>
        <p><button type="submit" class="primary">${t.confirmEarlyRun(total)}</button> <a href="/invoices">${t.cancel}</a></p>
      </form>`;
}

export function runsView({ runs, t }: { runs: Awaited<ReturnType<typeof recentBulkRuns>>; t: Messages }) {
  return html`<h1>${t.bulkRuns}</h1><section class="card">${runs.length === 0 ? html`<p class="muted">${t.none}</p>` : html`<table>
        <thead><tr><th>#</th><th>${t.date}</th><th>${t.user}</th><th>${t.channel}</th><th class="num">${t.invoices}</th><th>${t.progress}</th></tr></thead>
        <tbody>${runs.map((r) => html`<tr><td><a href="${sitePath`/runs/${r.id}`}">#${r.id}</a></td><td>${r.createdAt.toISOString().slice(0, 16).replace('T', ' ')}</td>
          <td>${r.createdBy ?? ''}</td><td>${t.channels[r.channel]}</td><td class="num">${r.total}</td><td>${r.done} / ${r.total}${r.failed ? html` · <span class="failed">${r.failed}</span>` : ''}</td></tr>`)}</tbody></table>`}</section>`;
}

export type RunModel = { run: BulkRun; problems: Problems; temporalUrl: string; csrf: string; lang: Lang; t: Messages };

/** A bulk run: its progress (polled while it goes on), its letters, and the invoices it could not serve. */
export function runView({ run, problems, temporalUrl, csrf, lang, t }: RunModel) {
  return html`<p><a href="/runs">← ${t.bulkRuns}</a></p>
      <h1>${t.bulkRun} #${run.id} <span class="badge">${run.forcedLevel ? `${t.level} ${run.forcedLevel}` : run.sendEarly ? t.nextLevelNow : t.computedLevel}</span> <span class="badge">${t.channels[run.channel]}</span></h1>
      ${progressPartial(run, csrf, t)}
      <p><a href="${temporalUrl}" target="_blank" rel="noopener">${t.openInTemporal} ↗</a></p>
      ${problemsCard(problems, lang, t)}`;
}

/** What the progress poll swaps in: the progress, and the problems card out of band so it never lags behind the count. */
export function runProgressView({ run, problems, workflow, csrf, lang, t }: { run: BulkRun; problems: Problems; workflow: RunWorkflowState | null; csrf: string; lang: Lang; t: Messages }) {
  return html`${progressPartial(run, csrf, t, workflow)}${problemsCard(problems, lang, t, true)}`;
}

/** What a page says of a run not finished, from where its workflow stands. */
export function runUnderWay(workflow: RunWorkflowState | null, t: Messages): string {
  if (workflow?.state === 'waiting') return t.runWaitingForEngine;
  if (workflow?.state === 'unknown') return t.runEngineUnreachable;
  return t.runRunning;
}

/**
 * The run's progress, polled while it goes on. A run whose workflow is no longer running although
 * the run never finished (terminated in Temporal) says so instead of polling forever.
 */
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

/** The invoices that failed or were left out, with why; refreshed with the progress, so it never lags behind the count. */
function problemsCard(problems: Problems, lang: Lang, t: Messages, outOfBand = false) {
  return html`<section class="card" id="run-problems" ${outOfBand ? html`hx-swap-oob="true"` : ''}><h2>${t.runProblems}</h2>${problems.length === 0 ? html`<p class="muted">${t.none}</p>` : html`<table>
    <thead><tr><th>${t.invoice}</th><th>${t.customer}</th><th>${t.status}</th><th>${t.level}</th><th>${t.reason}</th></tr></thead>
    <tbody>${problems.map((p) => html`<tr class="${p.outcome === 'skipped' || p.outcome === 'cancelled' ? '' : 'row-red'}"><td><a href="${sitePath`/invoices/${p.invoiceNumber}`}">${p.invoiceNumber}</a></td>
      <td>${p.customerName}</td><td>${t.runItemOutcomes[p.outcome]}</td><td>${p.level ?? ''}</td><td>${p.reason ? reasonText(p.reason, lang) : ''}</td></tr>`)}</tbody></table>`}</section>`;
}
