import { html } from 'hono/html';
import type { CsvImportKind, ImportRecord, recentImports } from '../../../db/queries/imports.js';
import type { Lang, Messages } from '../../i18n.js';
import { validationText } from '../../validation-texts.js';
import { COLUMNS, type RowError } from '../../import/csv-rows.js';
import type { FileProblem } from '../../import/factur-x-import.js';
import type { Flash } from '../env.js';
import { flashOf } from './flash.js';
import { sitePath } from '../paths.js';

export const KINDS: CsvImportKind[] = ['customers', 'invoices', 'payments'];
const SHOWN_ERRORS = 200;
// Progress is noted every 50 starts: this long without a note, the loop that starts them is gone.
const CUT_SHORT_AFTER_MS = 60_000;

type StartsState = 'running' | 'stopping' | 'stopped' | 'failed' | 'cut_short' | 'finished';

export type ImportModel = { recent: Awaited<ReturnType<typeof recentImports>>; errors: RowError[]; fileProblems: FileProblem[]; csrf: string; flash?: Flash; lang: Lang; t: Messages };

/** A file to check and import, the columns each kind takes, Factur-X invoices to drop, and the recent imports. */
export function importView({ recent, errors, fileProblems, csrf, flash, lang, t }: ImportModel) {
  return html`<h1>${t.import}</h1>${flashOf(flash)}${errorTable(errors, lang, t)}${fileProblemTable(fileProblems, lang, t)}
      <form method="post" action="/import" enctype="multipart/form-data" class="card form-grid">
        <input type="hidden" name="_csrf" value="${csrf}">
        <h2>${t.importFile}</h2>
        <label>${t.importKind}<select name="kind">${KINDS.map((k) => html`<option value="${k}">${t.importKinds[k]}</option>`)}</select></label>
        <label>${t.csvFile}<input type="file" name="file" accept=".csv,text/csv" required></label>
        <div><button type="submit" class="primary">${t.check}</button></div>
        <p class="muted">${t.importHelp}</p>
        ${KINDS.map((k) => html`<p><strong>${t.importKinds[k]}</strong>: <code>${COLUMNS[k].required.join(';')}</code> <span class="muted">+ <code>${COLUMNS[k].optional.join(', ')}</code></span></p>`)}
      </form>
      <form method="post" action="/import/factur-x" enctype="multipart/form-data" class="card form-grid" data-testid="factur-x-form">
        <input type="hidden" name="_csrf" value="${csrf}">
        <h2>${t.importFacturX}</h2>
        <label>${t.facturXFiles}<input type="file" name="files" accept=".pdf,application/pdf" multiple required></label>
        <div><button type="submit" class="primary">${t.check}</button></div>
        <p class="muted">${t.facturXHelp}</p>
      </form>
      ${recent.length ? html`<section class="card"><h2>${t.recentImports}</h2><table><tbody>${recent.map(
        (r) => html`<tr><td><a href="${sitePath`/import/${r.id}`}">#${r.id}</a></td><td>${t.importKinds[r.kind]}</td><td>${r.filename}</td><td class="num">${r.rowCount}</td>
          <td>${r.status === 'applied' ? t.applied : t.checked}</td></tr>`,
      )}</tbody></table></section>` : ''}`;
}

export type ImportRecordModel = { record: ImportRecord; rows: { line: number; value: unknown }[]; errors: RowError[]; csrf: string; now: number; flash?: Flash; lang: Lang; t: Messages };

/** One import: its first rows to check, then the confirmation, then the progress of its workflows. */
export function importRecordView({ record, rows, errors, csrf, now, flash, lang, t }: ImportRecordModel) {
  const columns = rows.length ? Object.keys(flatten(rows[0]!.value)) : [];
  return html`<p><a href="/import">← ${t.import}</a></p>
      <h1>${t.import} #${record.id} · ${t.importKinds[record.kind]} · ${record.filename}</h1>${flashOf(flash)}${errorTable(errors, lang, t)}
      ${record.status === 'checked'
        ? html`<section class="card"><p class="notice">${t.readyToImport(record.rowCount)}</p>
            <form method="post" action="${sitePath`/import/${record.id}/apply`}" class="action"><input type="hidden" name="_csrf" value="${csrf}">
              <button type="submit" class="primary">${t.confirmImport(record.rowCount)}</button></form></section>`
        : importProgressView(record, csrf, now, t)}
      <section class="card"><h2>${t.preview} (${rows.length} / ${record.rowCount})</h2>
        <div class="scroll"><table><thead><tr><th>${t.line}</th>${columns.map((col) => html`<th>${col}</th>`)}</tr></thead>
        <tbody>${rows.map((r) => html`<tr><td class="num">${r.line}</td>${Object.values(flatten(r.value)).map((v) => html`<td>${v}</td>`)}</tr>`)}</tbody></table></div>
      </section>`;
}

/** The problems of a Factur-X batch, each named by its file, its business term and why. */
export function fileProblemTable(problems: FileProblem[], lang: Lang, t: Messages) {
  if (problems.length === 0) return '';
  return html`<section class="card" data-testid="import-errors"><h2 class="failed">${t.facturXRefused(problems.length)}</h2>
    <table><thead><tr><th>${t.file}</th><th>${t.field}</th><th>${t.problem}</th></tr></thead><tbody>${problems.slice(0, SHOWN_ERRORS).map(
      (p) => html`<tr><td>${p.file}</td><td><code>${p.field}</code></td><td>${validationText(p.message, lang)}</td></tr>`,
    )}</tbody></table></section>`;
}

function errorTable(errors: RowError[], lang: Lang, t: Messages) {
  if (errors.length === 0) return '';
  return html`<section class="card" data-testid="import-errors"><h2 class="failed">${t.importRefused(errors.length)}</h2>
    <table><thead><tr><th>${t.line}</th><th>${t.column}</th><th>${t.problem}</th></tr></thead><tbody>${errors.slice(0, SHOWN_ERRORS).map(
      (e) => html`<tr><td class="num">${e.line}</td><td><code>${e.field}</code></td><td>${validationText(e.message, lang)}</td></tr>`,
    )}</tbody></table></section>`;
}

function startsState(record: ImportRecord, now: number): StartsState {
  if (record.workflowsFailure) return 'failed';
  if (record.workflowsDone >= record.workflowsTotal) return record.cancelledBy ? 'stopped' : 'finished';
  const noted = (record.workflowsNotedAt ?? record.appliedAt)?.getTime() ?? now;
  if (now - noted > CUT_SHORT_AFTER_MS) return 'cut_short';
  return record.cancelledBy ? 'stopping' : 'running';
}

/** Progress of the workflows an applied import starts; htmx polls it while they go on, which an operator may stop. */
export function importProgressView(record: ImportRecord, csrf: string, now: number, t: Messages) {
  const state = startsState(record, now);
  const polling = state === 'running' || state === 'stopping';
  const full = state === 'finished' || state === 'stopped';
  return html`<section class="card" id="progress" ${polling ? html`hx-get="${sitePath`/import/${record.id}/progress`}" hx-trigger="every 1s" hx-swap="outerHTML"` : ''}>
    <p class="notice">${t.imported(record.rowCount)}</p>
    <label>${t.workflowsStarted(record.workflowsDone - record.workflowsPending, record.workflowsTotal)}
      <progress max="${Math.max(record.workflowsTotal, 1)}" value="${full ? Math.max(record.workflowsTotal, 1) : record.workflowsDone}"></progress></label>
    ${record.workflowsPending > 0 ? html`<p class="warning" role="status" data-testid="import-pending">${t.workflowsLeftToRepair(record.workflowsPending)}</p>` : ''}
    ${state === 'running'
      ? html`<form method="post" action="${sitePath`/import/${record.id}/cancel`}" class="action"><input type="hidden" name="_csrf" value="${csrf}">
          <button class="danger" data-testid="cancel-import">${t.cancelImportStarts}</button></form>`
      : ''}
    ${state === 'stopping' ? html`<p class="warning" role="status">${t.importStopping(record.cancelledBy ?? '')}</p>` : ''}
    ${state === 'stopped' ? html`<p class="failed" role="alert" data-testid="import-stopped">${t.importStopped(record.cancelledBy ?? '')}</p>` : ''}
    ${state === 'failed' ? html`<p class="failed" role="alert" data-testid="import-failed">${t.importStartsFailed(record.workflowsFailure ?? '')}</p>` : ''}
    ${state === 'cut_short' ? html`<p class="failed" role="alert" data-testid="import-failed">${t.importStartsCutShort}</p>` : ''}
  </section>`;
}

function flatten(value: unknown, prefix = ''): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(value as Record<string, unknown>)) {
    if (v && typeof v === 'object' && !Array.isArray(v)) Object.assign(out, flatten(v, `${prefix}${k}.`));
    else out[`${prefix}${k}`] = Array.isArray(v) ? v.join(', ') : String(v ?? '');
  }
  return out;
}
