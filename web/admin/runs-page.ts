import { ZipArchive } from 'archiver';
import type { Context } from 'hono';
import { html } from 'hono/html';
import { stream } from 'hono/streaming';
import { z } from 'zod';
import { mergePdfs } from '../../activities/pdf/merge.js';
import { bulkRunById, createBulkRun, noteLettersDownloaded, recentBulkRuns, runProblems, type BulkRun } from '../../db/queries/bulk-runs.js';
import { documentById, lettersOfRun } from '../../db/queries/documents.js';
import { markLettersPrinted } from '../../db/queries/reminders.js';
import { bulkRunWorkflowId } from '../../workflows/ids.js';
import { startBulkRunOnce } from '../bulk-run-client.js';
import type { WebDeps } from '../deps.js';
import { langOf, messages, type Messages } from '../i18n.js';
import { wakeWorkflows } from '../wake-workflows.js';
import { parseForm } from './form.js';
import type { AdminEnv } from './index.js';
import { layout } from './layout.js';

const runForm = z.object({
  invoice: z.array(z.coerce.number().int().positive()).min(1, 'select at least one invoice').max(50_000),
  level: z.preprocess((v) => (v === '' ? null : v), z.coerce.number().int().min(1).max(50).nullable()),
  channel: z.enum(['step', 'email', 'letter'], 'step, email or letter'),
  attachPdf: z.literal('on').optional().transform(Boolean),
  runKey: z.uuid('the key of the form, as it was shown').optional(),
});

/** Starts a bulk run on the invoices checked in the mass follow-up, then shows its progress. */
export async function startRun(c: Context<AdminEnv>, deps: WebDeps) {
  const t = messages(langOf(c));
  const body = await c.req.parseBody({ all: true });
  const parsed = parseForm(runForm, { ...body, invoice: [body.invoice ?? []].flat() });
  if (!parsed.ok) return c.html(layout({ title: t.bulkRun, lang: langOf(c), t, user: c.get('user'), body: html`<p class="card error">${t.refused}: ${parsed.message}</p><p><a href="/invoices">← ${t.followUp}</a></p>` }), 422);
  const v = parsed.value;
  const runId = await createBulkRun(deps.sql, { userId: c.get('user').id, forcedLevel: v.level, channel: v.channel, attachPdf: v.attachPdf, invoiceIds: v.invoice, runKey: v.runKey });
  await startBulkRunOnce(deps.temporal, deps.taskQueue, runId);
  return c.redirect(`/runs/${runId}`, 303);
}

export async function runsPage(c: Context<AdminEnv>, deps: WebDeps) {
  const lang = langOf(c);
  const t = messages(lang);
  const runs = await recentBulkRuns(deps.sql);
  return c.html(
    layout({
      title: t.bulkRuns, lang, t, user: c.get('user'),
      body: html`<h1>${t.bulkRuns}</h1><section class="card">${runs.length === 0 ? html`<p class="muted">${t.none}</p>` : html`<table>
        <thead><tr><th>#</th><th>${t.date}</th><th>${t.user}</th><th>${t.channel}</th><th class="num">${t.invoices}</th><th>${t.progress}</th></tr></thead>
        <tbody>${runs.map((r) => html`<tr><td><a href="/runs/${r.id}">#${r.id}</a></td><td>${r.createdAt.toISOString().slice(0, 16).replace('T', ' ')}</td>
          <td>${r.createdBy ?? ''}</td><td>${r.channel}</td><td class="num">${r.total}</td><td>${r.done} / ${r.total}${r.failed ? html` · <span class="failed">${r.failed}</span>` : ''}</td></tr>`)}</tbody></table>`}</section>`,
    }),
  );
}

function progressPartial(run: BulkRun, t: Messages) {
  const finished = run.finishedAt !== null;
  return html`<section class="card" id="run-progress" ${finished ? '' : html`hx-get="/runs/${run.id}/progress" hx-trigger="every 1s" hx-swap="outerHTML"`}>
    <h2>${finished ? t.runFinished : t.runRunning}</h2>
    <progress max="${Math.max(run.total, 1)}" value="${run.done}" data-testid="run-progress"></progress>
    <p><strong data-testid="run-done">${run.done}</strong> / ${run.total} · ${t.failedCount(run.failed)} · ${t.lettersCount(run.letters)}</p>
    ${finished && run.letters > 0
      ? html`<p class="downloads"><a href="/runs/${run.id}/letters.pdf" class="button">${t.downloadMerged}</a> <a href="/runs/${run.id}/letters.zip" class="button">${t.downloadZip}</a>
          ${run.lettersDownloadedAt ? html`<span class="muted">${t.lettersPrinted}</span>` : html`<span class="muted">${t.downloadAdvances}</span>`}</p>`
      : ''}
    ${finished && run.failed ? html`<p><a href="/runs/${run.id}">${t.seeProblems}</a></p>` : ''}
  </section>`;
}

export async function runPage(c: Context<AdminEnv>, deps: WebDeps & { temporalUiUrl: string; namespace: string }) {
  const lang = langOf(c);
  const t = messages(lang);
  const run = await bulkRunById(deps.sql, Number(c.req.param('id')));
  if (!run) return c.notFound();
  const problems = await runProblems(deps.sql, run.id);
  return c.html(
    layout({
      title: `${t.bulkRun} #${run.id}`, lang, t, user: c.get('user'),
      body: html`<p><a href="/runs">← ${t.bulkRuns}</a></p>
      <h1>${t.bulkRun} #${run.id} <span class="badge">${run.forcedLevel ? `${t.level} ${run.forcedLevel}` : t.computedLevel}</span> <span class="badge">${run.channel}</span></h1>
      ${progressPartial(run, t)}
      <p><a href="${deps.temporalUiUrl}/namespaces/${deps.namespace}/workflows/${bulkRunWorkflowId(run.id)}" target="_blank" rel="noopener">${t.openInTemporal} ↗</a></p>
      <section class="card"><h2>${t.runProblems}</h2>${problems.length === 0 ? html`<p class="muted">${t.none}</p>` : html`<table>
        <thead><tr><th>${t.invoice}</th><th>${t.customer}</th><th>${t.status}</th><th>${t.level}</th><th>${t.reason}</th></tr></thead>
        <tbody>${problems.map((p) => html`<tr class="${p.outcome === 'skipped' ? '' : 'row-red'}"><td><a href="/invoices/${encodeURIComponent(p.invoiceNumber)}">${p.invoiceNumber}</a></td>
          <td>${p.customerName}</td><td>${p.outcome}</td><td>${p.level ?? ''}</td><td>${p.reason ?? ''}</td></tr>`)}</tbody></table>`}</section>`,
    }),
  );
}

export async function runProgress(c: Context<AdminEnv>, deps: WebDeps) {
  const run = await bulkRunById(deps.sql, Number(c.req.param('id')));
  if (!run) return c.notFound();
  return c.html(progressPartial(run, messages(langOf(c))));
}

/** The run's letters for printing; the first download makes them sent and advances each level (source 002). */
async function printRunLetters(c: Context<AdminEnv>, deps: WebDeps, runId: number) {
  const invoiceIds = await markLettersPrinted(deps.sql, { runId }, c.get('user').email);
  await noteLettersDownloaded(deps.sql, runId);
  await wakeWorkflows(deps, invoiceIds);
}

export async function runLettersPdf(c: Context<AdminEnv>, deps: WebDeps) {
  const runId = Number(c.req.param('id'));
  const letters = await lettersOfRun(deps.sql, runId);
  if (letters.length === 0) return c.notFound();
  const merged = await mergePdfs(letters.map((l) => l.content));
  await printRunLetters(c, deps, runId);
  c.header('Content-Type', 'application/pdf');
  c.header('Content-Disposition', `attachment; filename="relance-run-${runId}-letters.pdf"`);
  return c.body(merged.pdf as Uint8Array<ArrayBuffer>);
}

export async function runLettersZip(c: Context<AdminEnv>, deps: WebDeps) {
  const runId = Number(c.req.param('id'));
  const letters = await lettersOfRun(deps.sql, runId);
  if (letters.length === 0) return c.notFound();
  await printRunLetters(c, deps, runId);
  c.header('Content-Type', 'application/zip');
  c.header('Content-Disposition', `attachment; filename="relance-run-${runId}-letters.zip"`);
  return stream(c, async (out) => {
    const zip = new ZipArchive({ zlib: { level: 6 } });
    for (const letter of letters) zip.append(Buffer.from(letter.content), { name: letter.filename });
    const done = zip.finalize();
    for await (const chunk of zip) await out.write(chunk as Uint8Array);
    await done;
  });
}

/** One reminder's letter, from the invoice's timeline; downloading a letter still to print makes it sent. */
export async function documentDownload(c: Context<AdminEnv>, deps: WebDeps) {
  const doc = await documentById(deps.sql, Number(c.req.param('id')));
  if (!doc) return c.notFound();
  if (doc.reminderId !== null) await wakeWorkflows(deps, await markLettersPrinted(deps.sql, { reminderId: doc.reminderId }, c.get('user').email));
  c.header('Content-Type', 'application/pdf');
  c.header('Content-Disposition', `attachment; filename="${doc.filename}"`);
  return c.body(doc.content as Uint8Array<ArrayBuffer>);
}
