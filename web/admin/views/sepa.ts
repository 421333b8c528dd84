import { html } from 'hono/html';
import type { SepaCandidate, SepaChannel, sepaRunById, sepaRunItems, sepaRuns } from '../../../db/queries/sepa-runs.js';
import { formatDate, formatMoney } from '../../../services/format.js';
import { PAIN008_FORMATS, type Pain008Format } from '../../../services/sepa/pain008.js';
import type { RunWorkflowState } from '../../../services/temporal/run-workflow-state.js';
import type { Lang, Messages } from '../../i18n.js';
import { reasonText } from '../../reason-texts.js';
import type { Flash } from '../env.js';
import { flashOf } from './flash.js';
import { sitePath } from '../paths.js';
import { runUnderWay } from './runs.js';

type SepaRun = NonNullable<Awaited<ReturnType<typeof sepaRunById>>>;
type RunChoice = { collectionDate: string; format: Pain008Format; label: string };

const channelName = (channel: SepaChannel, t: Messages) => (channel === 'stripe' ? 'Stripe' : t.bankFile);

export type SepaModel = { runs: Awaited<ReturnType<typeof sepaRuns>>; earliest: string; flash?: Flash; lang: Lang; t: Messages };

/** A new direct-debit run (its date and format), and the runs before. */
export function sepaView({ runs, earliest, flash, lang, t }: SepaModel) {
  return html`<h1>${t.sepaRuns}</h1>${flashOf(flash)}
      <form method="get" action="/sepa/preview" class="card form-grid">
        <h2>${t.newSepaRun}</h2>
        <label>${t.collectionDate}<input type="date" name="collectionDate" min="${earliest}" value="${earliest}" required></label>
        <label>${t.fileFormat}<select name="format">${PAIN008_FORMATS.map((f) => html`<option>${f}</option>`)}</select></label>
        <label>${t.runLabel}<input name="label" maxlength="35"></label>
        <p class="muted">${t.earliestCollection(earliest)}</p>
        <div><button type="submit" class="primary">${t.selectInvoices}</button></div>
      </form>
      <section class="card"><h2>${t.history}</h2>${runs.length === 0 ? html`<p class="muted">${t.none}</p>` : html`<table>
        <thead><tr><th>#</th><th>${t.collectionDate}</th><th>${t.fileFormat}</th><th class="num">${t.invoices}</th><th class="num">${t.amount}</th><th>${t.status}</th></tr></thead>
        <tbody>${runs.map((r) => html`<tr><td><a href="${sitePath`/sepa/${r.id}`}">#${r.id}</a></td><td>${formatDate(r.collectionDate, lang)}</td><td>${r.format}</td>
          <td class="num">${r.transactions}</td><td class="num">${formatMoney(r.totalCents, 'EUR', lang)}</td><td>${t.sepaStatuses[r.status]}</td></tr>`)}</tbody></table>`}</section>`;
}

export type SepaPreviewModel = { chosen: RunChoice; candidates: SepaCandidate[]; blocking: string[]; csrf: string; lang: Lang; t: Messages };

/** What the run would collect, with totals, before anything is written; the total follows the boxes ticked. */
export function sepaPreviewView({ chosen, candidates, blocking, csrf, lang, t }: SepaPreviewModel) {
  return html`<p><a href="/sepa">← ${t.sepaRuns}</a></p><h1>${t.newSepaRun} · ${formatDate(chosen.collectionDate, lang)} · ${chosen.format}</h1>
      <form method="post" action="/sepa" class="card" hx-get="/sepa/selection" hx-params="not _csrf" hx-trigger="change" hx-target="#sepa-summary" hx-swap="outerHTML">
        <input type="hidden" name="_csrf" value="${csrf}">
        ${(['collectionDate', 'format', 'label'] as const).map((k) => html`<input type="hidden" name="${k}" value="${chosen[k]}">`)}
        ${selectionSummary(candidates, blocking, chosen.format, lang, t)}
        <table><thead><tr><th></th><th>${t.customer}</th><th>${t.invoice}</th><th>${t.dueDate}</th><th>RUM</th><th>BIC</th><th>${t.sequenceType}</th><th>${t.channel}</th><th class="num">${t.amount}</th></tr></thead>
        <tbody>${candidates.map((i) => html`<tr><td><input type="checkbox" name="invoice" value="${i.invoiceId}" checked aria-label="${i.number}"></td><td>${i.customerName}</td><td>${i.number}</td>
          <td>${formatDate(i.dueDate, lang)}</td><td>${i.reference}</td><td>${i.bic ?? html`<span class="muted">—</span>`}</td><td>${i.sequence}</td><td>${channelName(i.channel, t)}</td><td class="num">${formatMoney(i.amountCents, 'EUR', lang)}</td></tr>`)}</tbody></table>
        ${generateButton(blocking.length === 0, t)}
      </form>`;
}

/** What htmx swaps in at each change of the selection: its count and total, and the button enabled or not. */
export function sepaSelectionView({ chosen, blocking, format, lang, t }: { chosen: SepaCandidate[]; blocking: string[]; format: Pain008Format; lang: Lang; t: Messages }) {
  return html`${selectionSummary(chosen, blocking, format, lang, t)}${generateButton(chosen.length > 0 && blocking.length === 0, t, true)}`;
}

export function sepaSelectionRefusedView(message: string, t: Messages) {
  return html`<div id="sepa-summary"><p class="error" role="alert">${t.refused}: ${message}</p></div>`;
}

export type SepaRunModel = { run: SepaRun; items: Awaited<ReturnType<typeof sepaRunItems>>; workflow: RunWorkflowState | null; csrf: string; flash?: Flash; lang: Lang; t: Messages };

/** A run: its file, its state (polled while the file is built), and each debit's outcome. */
export function sepaRunView({ run, items, workflow, csrf, flash, lang, t }: SepaRunModel) {
  // A run still 'generating' whose workflow closed (terminated in Temporal) is not shown as under way.
  const closed = workflow?.state === 'closed' ? workflow.status : null;
  const generating = run.status === 'generating' && !closed;
  return html`<p><a href="/sepa">← ${t.sepaRuns}</a></p>
      <h1>SEPA #${run.id} · ${formatDate(run.collectionDate, lang)} <span class="badge">${run.format}</span> <span class="badge" data-testid="sepa-status">${t.sepaStatuses[run.status]}</span></h1>
      ${flashOf(flash)}
      <section class="card" ${generating ? html`hx-get="${sitePath`/sepa/${run.id}`}" hx-trigger="every 1s" hx-select="main" hx-target="main" hx-swap="outerHTML"` : ''}>
        <p>${run.messageId} · ${t.sepaSelection(run.transactions, formatMoney(run.totalCents, 'EUR', lang))}</p>
        ${run.hasFile ? html`<p><a class="button" href="${sitePath`/sepa/${run.id}/file.zip`}" data-testid="sepa-download">${t.downloadFile}</a></p>` : ''}
        ${generating ? html`<p class="muted" data-testid="sepa-progress">${runUnderWay(workflow, t)}</p>
          <form method="post" action="${sitePath`/sepa/${run.id}/cancel`}" class="action"><input type="hidden" name="_csrf" value="${csrf}"><button class="danger" data-testid="cancel-sepa">${t.cancelSepaRun}</button></form>` : ''}
        ${run.cancelledBy ? html`<p class="failed" role="alert" data-testid="sepa-cancelled">${run.status === 'cancelled' ? t.sepaRunCancelled(run.cancelledBy) : t.sepaStripeCancelled(run.cancelledBy)}</p>` : ''}
        ${closed ? html`<p class="failed" role="alert" data-testid="sepa-failure">${t.runEndedInTemporal(closed)}</p>` : ''}
        ${run.status === 'failed' ? html`<p class="failed" role="alert" data-testid="sepa-failure">${t.runFailed}: ${reasonText(run.failureReason ?? '', lang)}</p>` : ''}
        ${run.status === 'sent' && run.hasFile
          ? html`<form method="post" action="${sitePath`/sepa/${run.id}/collected`}" class="action"><input type="hidden" name="_csrf" value="${csrf}"><button>${t.markCollected}</button></form>`
          : ''}
      </section>
      <section class="card"><table>
        <thead><tr><th>${t.customer}</th><th>${t.invoice}</th><th>IBAN</th><th>${t.sequenceType}</th><th>${t.channel}</th><th class="num">${t.amount}</th><th>${t.status}</th><th></th></tr></thead>
        <tbody>${items.map((i) => itemRow(run.id, run.status, i, csrf, lang, t))}</tbody></table></section>`;
}

/** The selection's count and total, and what keeps its file from being built. */
function selectionSummary(chosen: SepaCandidate[], blocking: string[], format: Pain008Format, lang: Lang, t: Messages) {
  return html`<div id="sepa-summary"><p class="notice" data-testid="sepa-total">${t.sepaSelection(chosen.length, formatMoney(chosen.reduce((s, i) => s + i.amountCents, 0), 'EUR', lang))}</p>
    ${blocking.length ? html`<div class="error" role="alert" data-testid="sepa-blocking"><p>${t.sepaBlocked(format)}</p><ul>${blocking.map((p) => html`<li>${p}</li>`)}</ul></div>` : ''}</div>`;
}

function generateButton(enabled: boolean, t: Messages, outOfBand = false) {
  return html`<p id="sepa-generate" ${outOfBand ? html`hx-swap-oob="true"` : ''}><button type="submit" class="primary" data-testid="sepa-generate" ${enabled ? '' : 'disabled'}>${t.generateFile}</button></p>`;
}

function itemRow(runId: number, status: string, i: Awaited<ReturnType<typeof sepaRunItems>>[number], csrf: string, lang: Lang, t: Messages) {
  return html`<tr class="${i.outcome === 'rejected' ? 'row-red' : ''}"><td>${i.customerName}</td><td><a href="${sitePath`/invoices/${i.number}`}">${i.number}</a></td>
    <td><code>${i.iban}</code></td><td>${i.sequence}</td><td>${channelName(i.channel, t)}${i.paymentIntentId ? html` <code>${i.paymentIntentId}</code>` : ''}</td><td class="num">${formatMoney(i.amountCents, 'EUR', lang)}</td><td>${t.sepaItemOutcomes[i.outcome]}${i.reason ? ` · ${reasonText(i.reason, lang)}` : ''}</td>
    <td>${status === 'sent' && i.channel === 'file' && i.outcome === 'pending'
      ? html`<form method="post" action="${sitePath`/sepa/${runId}/reject`}" class="inline"><input type="hidden" name="_csrf" value="${csrf}"><input type="hidden" name="invoice" value="${i.invoiceId}">
          <input name="reason" placeholder="${t.reason}" required maxlength="200"><button class="danger">${t.rejected}</button></form>`
      : ''}</td></tr>`;
}
