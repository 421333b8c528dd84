import { randomBytes } from 'node:crypto';
import type { Context } from 'hono';
import { html } from 'hono/html';
import { z } from 'zod';
import { formatDate, formatMoney } from '../../services/format.js';
import { PAIN008_FORMATS, sepaFileProblems, type Pain008Format } from '../../services/sepa/pain008.js';
import { cancelSepaRun, createSepaRun, markSepaCollected, type SepaCandidate, type SepaChannel, rejectSepaItem, sepaCandidates, sepaRunById, sepaRunItems, sepaRuns, sepaZip } from '../../db/queries/sepa-runs.js';
import { getSepaCreditor, getSettings } from '../../db/queries/settings.js';
import { addBusinessDays } from '../../workflows/schedule/business-days.js';
import { isIsoDate } from '../../workflows/schedule/calendar-date.js';
import { localDate } from '../../workflows/schedule/zoned-time.js';
import { sepaRunWorkflowId } from '../../workflows/ids.js';
import { cancelRunWorkflow, startRunSoon } from '../../services/temporal/run-client.js';
import type { WebDeps } from '../deps.js';
import { langOf, messages, type Lang, type Messages } from '../i18n.js';
import { wakeWorkflows } from '../../services/temporal/wake-workflows.js';
import { writeAudit } from '../../db/queries/audit.js';
import { runWorkflowState } from '../../services/temporal/run-workflow-state.js';
import { runUnderWay } from './runs-page.js';
import { parseForm } from './form.js';
import type { AdminEnv } from './env.js';
import { flashOf, outcomeOnPage, type Flash } from './flash.js';
import { sitePath } from './paths.js';

const runForm = z.object({
  collectionDate: z.string().refine(isIsoDate, 'a date YYYY-MM-DD'),
  format: z.enum(PAIN008_FORMATS, 'pain.008.001.02, pain.008.002.02 or pain.008.003.02'),
  label: z.string().trim().max(35, 'at most 35 characters').default(''),
});

/** The earliest collection date the bank accepts: today plus the lead time, on business days. */
async function earliestDate(deps: WebDeps): Promise<string> {
  const [settings, creditor] = await Promise.all([getSettings(deps.sql), getSepaCreditor(deps.sql)]);
  return addBusinessDays(localDate(Date.now(), settings.timezone), creditor.leadDays, settings.country);
}

/** The form checked against the rules of a collection; the reason names the field. */
async function checkRun(deps: WebDeps, form: Record<string, unknown>, t: Messages) {
  const parsed = parseForm(runForm, form);
  if (!parsed.ok) return { ok: false as const, message: parsed.message };
  const earliest = await earliestDate(deps);
  if (parsed.value.collectionDate < earliest) return { ok: false as const, message: `collectionDate: ${t.earliestCollection(earliest)}` };
  const creditor = await getSepaCreditor(deps.sql);
  if (!creditor.creditorId || !creditor.iban) return { ok: false as const, message: `settings: ${t.creditorMissing}` };
  return { ok: true as const, value: parsed.value };
}

export async function sepaPage(c: Context<AdminEnv>, deps: WebDeps, flash?: Flash) {
  const lang = langOf(c);
  const t = messages(lang);
  const shown = await outcomeOnPage(c, deps.sql, flash, '/sepa');
  if (shown.redirect) return shown.redirect;
  const [runs, earliest] = await Promise.all([sepaRuns(deps.sql), earliestDate(deps)]);
  return c.render(t.sepaRuns, html`<h1>${t.sepaRuns}</h1>${flashOf(shown.flash)}
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
          <td class="num">${r.transactions}</td><td class="num">${formatMoney(r.totalCents, 'EUR', lang)}</td><td>${t.sepaStatuses[r.status]}</td></tr>`)}</tbody></table>`}</section>`, shown.status);
}

/** What the run would collect, with totals, before anything is written; the total follows the boxes ticked. */
export async function sepaPreview(c: Context<AdminEnv>, deps: WebDeps) {
  const lang = langOf(c);
  const t = messages(lang);
  const checked = await checkRun(deps, c.req.query(), t);
  if (!checked.ok) return sepaPage(c, deps, { ok: false, text: `${t.refused}: ${checked.message}` });
  const candidates = await sepaCandidates(deps.sql, checked.value.collectionDate);
  if (candidates.length === 0) return sepaPage(c, deps, { ok: false, text: `${t.refused}: selection: ${t.nothingToCollect}` });
  const blocking = await fileProblems(deps, checked.value.format, candidates);
  return c.render(t.newSepaRun, html`<p><a href="/sepa">← ${t.sepaRuns}</a></p><h1>${t.newSepaRun} · ${formatDate(checked.value.collectionDate, lang)} · ${checked.value.format}</h1>
      <form method="post" action="/sepa" class="card" hx-get="/sepa/selection" hx-params="not _csrf" hx-trigger="change" hx-target="#sepa-summary" hx-swap="outerHTML">
        <input type="hidden" name="_csrf" value="${c.get('user').csrfToken}">
        ${(['collectionDate', 'format', 'label'] as const).map((k) => html`<input type="hidden" name="${k}" value="${checked.value[k]}">`)}
        ${selectionSummary(candidates, blocking, checked.value.format, lang, t)}
        <table><thead><tr><th></th><th>${t.customer}</th><th>${t.invoice}</th><th>${t.dueDate}</th><th>RUM</th><th>BIC</th><th>${t.sequenceType}</th><th>${t.channel}</th><th class="num">${t.amount}</th></tr></thead>
        <tbody>${candidates.map((i) => html`<tr><td><input type="checkbox" name="invoice" value="${i.invoiceId}" checked aria-label="${i.number}"></td><td>${i.customerName}</td><td>${i.number}</td>
          <td>${formatDate(i.dueDate, lang)}</td><td>${i.reference}</td><td>${i.bic ?? html`<span class="muted">—</span>`}</td><td>${i.sequence}</td><td>${channelName(i.channel, t)}</td><td class="num">${formatMoney(i.amountCents, 'EUR', lang)}</td></tr>`)}</tbody></table>
        ${generateButton(blocking.length === 0, t)}
      </form>`);
}

/** The selection's count and total, and what keeps its file from being built. */
function selectionSummary(chosen: SepaCandidate[], blocking: string[], format: Pain008Format, lang: Lang, t: Messages) {
  return html`<div id="sepa-summary"><p class="notice" data-testid="sepa-total">${t.sepaSelection(chosen.length, formatMoney(chosen.reduce((s, i) => s + i.amountCents, 0), 'EUR', lang))}</p>
    ${blocking.length ? html`<div class="error" role="alert" data-testid="sepa-blocking"><p>${t.sepaBlocked(format)}</p><ul>${blocking.map((p) => html`<li>${p}</li>`)}</ul></div>` : ''}</div>`;
}

function generateButton(enabled: boolean, t: Messages, outOfBand = false) {
  return html`<p id="sepa-generate" ${outOfBand ? html`hx-swap-oob="true"` : ''}><button type="submit" class="primary" data-testid="sepa-generate" ${enabled ? '' : 'disabled'}>${t.generateFile}</button></p>`;
}

/** The summary again for the boxes now ticked: htmx asks for it at each change of the selection. */
export async function sepaSelection(c: Context<AdminEnv>, deps: WebDeps) {
  const lang = langOf(c);
  const t = messages(lang);
  const checked = await checkRun(deps, c.req.query(), t);
  if (!checked.ok) return c.html(html`<div id="sepa-summary"><p class="error" role="alert">${t.refused}: ${checked.message}</p></div>`);
  const invoiceIds = c.req.queries('invoice')?.map(Number).filter((n) => Number.isInteger(n) && n > 0) ?? [];
  const chosen = await sepaCandidates(deps.sql, checked.value.collectionDate, invoiceIds);
  const blocking = await fileProblems(deps, checked.value.format, chosen);
  return c.html(html`${selectionSummary(chosen, blocking, checked.value.format, lang, t)}${generateButton(chosen.length > 0 && blocking.length === 0, t, true)}`);
}

export async function startSepaRun(c: Context<AdminEnv>, deps: WebDeps) {
  const t = messages(langOf(c));
  const body = await c.req.parseBody({ all: true });
  const checked = await checkRun(deps, body, t);
  if (!checked.ok) return sepaPage(c, deps, { ok: false, text: `${t.refused}: ${checked.message}` });
  const invoiceIds = [body.invoice ?? []].flat().map(Number).filter((n) => Number.isInteger(n) && n > 0);
  if (invoiceIds.length === 0) return sepaPage(c, deps, { ok: false, text: `${t.refused}: selection: ${t.nothingToCollect}` });
  const chosen = (await sepaCandidates(deps.sql, checked.value.collectionDate, invoiceIds));
  const blocking = await fileProblems(deps, checked.value.format, chosen);
  if (blocking.length) return sepaPage(c, deps, { ok: false, text: `${t.refused}: ${t.sepaBlocked(checked.value.format)} ${blocking.join('; ')}` });
  const messageId = `RELANCE-${checked.value.collectionDate.replaceAll('-', '')}-${randomBytes(4).toString('hex').toUpperCase()}`;
  const runId = await createSepaRun(deps.sql, { userId: c.get('user').id, ...checked.value, messageId, invoiceIds });
  await startRunSoon(deps.temporal, deps.taskQueue, { kind: 'sepa', id: runId });
  return c.redirect(sitePath`/sepa/${runId}`, 303);
}

export async function sepaRunPage(c: Context<AdminEnv>, deps: WebDeps, flash?: Flash) {
  const lang = langOf(c);
  const t = messages(lang);
  const run = await sepaRunById(deps.sql, Number(c.req.param('id')));
  if (!run) return c.notFound();
  const shown = await outcomeOnPage(c, deps.sql, flash, sitePath`/sepa/${run.id}`);
  if (shown.redirect) return shown.redirect;
  const items = await sepaRunItems(deps.sql, run.id);
  const csrf = c.get('user').csrfToken;
  // A run still 'generating' whose workflow closed (terminated in Temporal) is not shown as under way.
  const workflow = run.status === 'generating' ? await runWorkflowState(deps, sepaRunWorkflowId(run.id)) : null;
  const closed = workflow?.state === 'closed' ? workflow.status : null;
  const generating = run.status === 'generating' && !closed;
  return c.render(`SEPA #${run.id}`, html`<p><a href="/sepa">← ${t.sepaRuns}</a></p>
      <h1>SEPA #${run.id} · ${formatDate(run.collectionDate, lang)} <span class="badge">${run.format}</span> <span class="badge" data-testid="sepa-status">${t.sepaStatuses[run.status]}</span></h1>
      ${flashOf(shown.flash)}
      <section class="card" ${generating ? html`hx-get="${sitePath`/sepa/${run.id}`}" hx-trigger="every 1s" hx-select="main" hx-target="main" hx-swap="outerHTML"` : ''}>
        <p>${run.messageId} · ${t.sepaSelection(run.transactions, formatMoney(run.totalCents, 'EUR', lang))}</p>
        ${run.hasFile ? html`<p><a class="button" href="${sitePath`/sepa/${run.id}/file.zip`}" data-testid="sepa-download">${t.downloadFile}</a></p>` : ''}
        ${generating ? html`<p class="muted" data-testid="sepa-progress">${runUnderWay(workflow, t)}</p>
          <form method="post" action="${sitePath`/sepa/${run.id}/cancel`}" class="action"><input type="hidden" name="_csrf" value="${csrf}"><button class="danger" data-testid="cancel-sepa">${t.cancelSepaRun}</button></form>` : ''}
        ${run.cancelledBy ? html`<p class="failed" role="alert" data-testid="sepa-cancelled">${run.status === 'cancelled' ? t.sepaRunCancelled(run.cancelledBy) : t.sepaStripeCancelled(run.cancelledBy)}</p>` : ''}
        ${closed ? html`<p class="failed" role="alert" data-testid="sepa-failure">${t.runEndedInTemporal(closed)}</p>` : ''}
        ${run.status === 'failed' ? html`<p class="failed" role="alert" data-testid="sepa-failure">${t.runFailed}: ${run.failureReason}</p>` : ''}
        ${run.status === 'sent' && run.hasFile
          ? html`<form method="post" action="${sitePath`/sepa/${run.id}/collected`}" class="action"><input type="hidden" name="_csrf" value="${csrf}"><button>${t.markCollected}</button></form>`
          : ''}
      </section>
      <section class="card"><table>
        <thead><tr><th>${t.customer}</th><th>${t.invoice}</th><th>IBAN</th><th>${t.sequenceType}</th><th>${t.channel}</th><th class="num">${t.amount}</th><th>${t.status}</th><th></th></tr></thead>
        <tbody>${items.map((i) => itemRow(run.id, run.status, i, csrf, lang, t))}</tbody></table></section>`, shown.status);
}

function itemRow(runId: number, status: string, i: Awaited<ReturnType<typeof sepaRunItems>>[number], csrf: string, lang: Lang, t: Messages) {
  return html`<tr class="${i.outcome === 'rejected' ? 'row-red' : ''}"><td>${i.customerName}</td><td><a href="${sitePath`/invoices/${i.number}`}">${i.number}</a></td>
    <td><code>${i.iban}</code></td><td>${i.sequence}</td><td>${channelName(i.channel, t)}${i.paymentIntentId ? html` <code>${i.paymentIntentId}</code>` : ''}</td><td class="num">${formatMoney(i.amountCents, 'EUR', lang)}</td><td>${t.sepaItemOutcomes[i.outcome]}${i.reason ? ` · ${i.reason}` : ''}</td>
    <td>${status === 'sent' && i.channel === 'file' && i.outcome === 'pending'
      ? html`<form method="post" action="${sitePath`/sepa/${runId}/reject`}" class="inline"><input type="hidden" name="_csrf" value="${csrf}"><input type="hidden" name="invoice" value="${i.invoiceId}">
          <input name="reason" placeholder="${t.reason}" required maxlength="200"><button class="danger">${t.rejected}</button></form>`
      : ''}</td></tr>`;
}

/** What keeps the chosen format's file from being built (a debtor without a BIC…), each naming the debtor. */
async function fileProblems(deps: WebDeps, format: Pain008Format, candidates: SepaCandidate[]): Promise<string[]> {
  const inFile = candidates.filter((c) => c.channel === 'file');
  if (inFile.length === 0) return [];
  const creditor = await getSepaCreditor(deps.sql);
  return sepaFileProblems({ format, creditor, debits: inFile.map((c) => ({ amountCents: c.amountCents, debtor: { name: `${c.holder} (${c.number})`, bic: c.bic } })) })
    .map((p) => p.message);
}

const channelName = (channel: SepaChannel, t: Messages) => (channel === 'stripe' ? 'Stripe' : t.bankFile);

export async function sepaFile(c: Context<AdminEnv>, deps: WebDeps) {
  const id = Number(c.req.param('id'));
  const [run, zip] = await Promise.all([sepaRunById(deps.sql, id), sepaZip(deps.sql, id)]);
  if (!run || !zip) return c.notFound();
  c.header('Content-Type', 'application/zip');
  c.header('Content-Disposition', `attachment; filename="${run.messageId}.zip"`);
  return c.body(zip as Uint8Array<ArrayBuffer>);
}

/** The bank's outcome: the whole run collected (payments recorded), or one transaction returned (dunning resumes). */
/** Stops a run before its file is built: the run is cancelled, its invoices chased again. */
export async function cancelSepaRunAction(c: Context<AdminEnv>, deps: WebDeps) {
  const runId = Number(c.req.param('id'));
  const user = c.get('user');
  // Written first: the file, if it is being built, is then not kept, and no Stripe debit is asked.
  const released = await cancelSepaRun(deps.sql, runId, user.email);
  await cancelRunWorkflow(deps.temporal, sepaRunWorkflowId(runId));
  await writeAudit(deps.sql, { userId: user.id, action: 'sepa.cancel', entity: `sepa_run:${runId}`, before: null, after: { released: released.length } });
  await wakeWorkflows(deps, released);
  return c.redirect(sitePath`/sepa/${runId}`, 303);
}

export async function sepaCollectedAction(c: Context<AdminEnv>, deps: WebDeps) {
  const t = messages(langOf(c));
  await wakeWorkflows(deps, await markSepaCollected(deps.sql, Number(c.req.param('id')), c.get('user').email));
  return sepaRunPage(c, deps, { ok: true, text: t.done });
}

export async function sepaRejectAction(c: Context<AdminEnv>, deps: WebDeps) {
  const t = messages(langOf(c));
  const runId = Number(c.req.param('id'));
  const actor = c.get('user').email;
  const form = await c.req.parseBody();
  const reason = String(form.reason ?? '').trim();
  if (!reason) return sepaRunPage(c, deps, { ok: false, text: `${t.refused}: reason: required` });
  const invoiceId = Number(form.invoice);
  if (await rejectSepaItem(deps.sql, runId, invoiceId, reason.slice(0, 200), actor)) await wakeWorkflows(deps, [invoiceId]);
  return sepaRunPage(c, deps, { ok: true, text: t.done });
}
