import { createHash } from 'node:crypto';
import type { Context } from 'hono';
import { html } from 'hono/html';
import { importById, insertImport, recentImports, requestImportCancel, type ImportKind, type ImportRecord } from '../../db/queries/imports.js';
import { writeAudit } from '../../db/queries/audit.js';
import type { WebDeps } from '../deps.js';
import { langOf, messages, type Messages } from '../i18n.js';
import { COLUMNS, checkCsv, type RowError } from '../import/csv-rows.js';
import { startImportedWorkflows, writeImport } from '../import/apply-import.js';
import type { AdminEnv } from './env.js';
import { flashOf, outcomeOnPage, type Flash } from './flash.js';
import { sitePath } from './paths.js';

const KINDS: ImportKind[] = ['customers', 'invoices', 'payments'];
const MAX_BYTES = 20 * 1024 * 1024;
const SHOWN_ERRORS = 200;
const PREVIEW_ROWS = 20;

type ImportDeps = WebDeps & { log?: (err: unknown) => void };

export async function importPage(c: Context<AdminEnv>, deps: ImportDeps, flash?: Flash, errors: RowError[] = []) {
  const lang = langOf(c);
  const t = messages(lang);
  const shown = await outcomeOnPage(c, deps.sql, flash, '/import');
  if (shown.redirect) return shown.redirect;
  const recent = await recentImports(deps.sql);
  return c.render(t.import, html`<h1>${t.import}</h1>${flashOf(shown.flash)}${errorTable(errors, t)}
      <form method="post" action="/import" enctype="multipart/form-data" class="card form-grid">
        <input type="hidden" name="_csrf" value="${c.get('user').csrfToken}">
        <h2>${t.importFile}</h2>
        <label>${t.importKind}<select name="kind">${KINDS.map((k) => html`<option value="${k}">${t.importKinds[k]}</option>`)}</select></label>
        <label>${t.csvFile}<input type="file" name="file" accept=".csv,text/csv" required></label>
        <div><button type="submit" class="primary">${t.check}</button></div>
        <p class="muted">${t.importHelp}</p>
        ${KINDS.map((k) => html`<p><strong>${t.importKinds[k]}</strong>: <code>${COLUMNS[k].required.join(';')}</code> <span class="muted">+ ${COLUMNS[k].optional.join(', ')}</span></p>`)}
      </form>
      ${recent.length ? html`<section class="card"><h2>${t.recentImports}</h2><table><tbody>${recent.map(
        (r) => html`<tr><td><a href="${sitePath`/import/${r.id}`}">#${r.id}</a></td><td>${t.importKinds[r.kind]}</td><td>${r.filename}</td><td class="num">${r.rowCount}</td>
          <td>${r.status === 'applied' ? t.applied : t.checked}</td></tr>`,
      )}</tbody></table></section>` : ''}`, shown.status);
}

function errorTable(errors: RowError[], t: Messages) {
  if (errors.length === 0) return '';
  return html`<section class="card" data-testid="import-errors"><h2 class="failed">${t.importRefused(errors.length)}</h2>
    <table><thead><tr><th>${t.line}</th><th>${t.column}</th><th>${t.problem}</th></tr></thead><tbody>${errors.slice(0, SHOWN_ERRORS).map(
      (e) => html`<tr><td class="num">${e.line}</td><td><code>${e.field}</code></td><td>${e.message}</td></tr>`,
    )}</tbody></table></section>`;
}

/** Checks an uploaded file; only a file without a single bad row is kept, for a preview and a confirmation. */
export async function uploadImport(c: Context<AdminEnv>, deps: ImportDeps) {
  const t = messages(langOf(c));
  const form = await c.req.parseBody();
  const kind = KINDS.find((k) => k === form.kind);
  const file = form.file;
  if (!kind) return importPage(c, deps, { ok: false, text: `${t.refused}: kind: customers, invoices or payments` });
  if (!(file instanceof File) || file.size === 0) return importPage(c, deps, { ok: false, text: `${t.refused}: file: ${t.chooseFile}` });
  if (file.size > MAX_BYTES) return importPage(c, deps, { ok: false, text: `${t.refused}: file: larger than 20 MB` });
  const content = await file.text();
  const checked = checkCsv(kind, content);
  if (!checked.ok) return importPage(c, deps, { ok: false, text: t.nothingWritten }, checked.errors);
  const id = await insertImport(deps.sql, {
    kind, filename: file.name, content, rowCount: checked.parsed.rows.length, userId: c.get('user').id,
    fileSha256: createHash('sha256').update(content).digest('hex'),
  });
  return c.redirect(sitePath`/import/${id}`, 303);
}

export async function importRecordPage(c: Context<AdminEnv>, deps: ImportDeps, flash?: Flash, errors: RowError[] = []) {
  const lang = langOf(c);
  const t = messages(lang);
  const record = await importById(deps.sql, Number(c.req.param('id')));
  if (!record) return c.notFound();
  const shown = await outcomeOnPage(c, deps.sql, flash, sitePath`/import/${record.id}`);
  if (shown.redirect) return shown.redirect;
  const checked = checkCsv(record.kind, record.content);
  const rows = checked.ok ? checked.parsed.rows.slice(0, PREVIEW_ROWS) : [];
  const columns = rows.length ? Object.keys(flatten(rows[0]!.value)) : [];
  return c.render(`${t.import} #${record.id}`, html`<p><a href="/import">← ${t.import}</a></p>
      <h1>${t.import} #${record.id} · ${t.importKinds[record.kind]} · ${record.filename}</h1>${flashOf(shown.flash)}${errorTable(errors, t)}
      ${record.status === 'checked'
        ? html`<section class="card"><p class="notice">${t.readyToImport(record.rowCount)}</p>
            <form method="post" action="${sitePath`/import/${record.id}/apply`}" class="action"><input type="hidden" name="_csrf" value="${c.get('user').csrfToken}">
              <button type="submit" class="primary">${t.confirmImport(record.rowCount)}</button></form></section>`
        : progress(record, c.get('user').csrfToken, t)}
      <section class="card"><h2>${t.preview} (${Math.min(PREVIEW_ROWS, record.rowCount)} / ${record.rowCount})</h2>
        <div class="scroll"><table><thead><tr><th>${t.line}</th>${columns.map((col) => html`<th>${col}</th>`)}</tr></thead>
        <tbody>${rows.map((r) => html`<tr><td class="num">${r.line}</td>${Object.values(flatten(r.value)).map((v) => html`<td>${v}</td>`)}</tr>`)}</tbody></table></div>
      </section>`, shown.status);
}

// Progress is noted every 50 starts: this long without a note, the loop that starts them is gone.
const CUT_SHORT_AFTER_MS = 60_000;

type StartsState = 'running' | 'stopping' | 'stopped' | 'failed' | 'cut_short' | 'finished';

function startsState(record: ImportRecord, now: number): StartsState {
  if (record.workflowsFailure) return 'failed';
  if (record.workflowsDone >= record.workflowsTotal) return record.cancelledBy ? 'stopped' : 'finished';
  const noted = (record.workflowsNotedAt ?? record.appliedAt)?.getTime() ?? now;
  if (now - noted > CUT_SHORT_AFTER_MS) return 'cut_short';
  return record.cancelledBy ? 'stopping' : 'running';
}

/** Progress of the workflows an applied import starts; htmx polls it while they go on, which an operator may stop. */
function progress(record: ImportRecord, csrf: string, t: Messages) {
  const state = startsState(record, Date.now());
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

/** Stops the starts of an import: those under way finish, the invoices not reached are paused until resumed. */
export async function cancelImportAction(c: Context<AdminEnv>, deps: ImportDeps) {
  const id = Number(c.req.param('id'));
  const user = c.get('user');
  if (await requestImportCancel(deps.sql, id, user.email)) {
    await writeAudit(deps.sql, { userId: user.id, action: 'import.cancel', entity: `import:${id}`, before: null, after: null });
  }
  return c.redirect(sitePath`/import/${id}`, 303);
}

export async function importProgress(c: Context<AdminEnv>, deps: ImportDeps) {
  const record = await importById(deps.sql, Number(c.req.param('id')));
  if (!record) return c.notFound();
  return c.html(progress(record, c.get('user').csrfToken, messages(langOf(c))));
}

export async function applyImportAction(c: Context<AdminEnv>, deps: ImportDeps) {
  const t = messages(langOf(c));
  const record = await importById(deps.sql, Number(c.req.param('id')));
  if (!record) return c.notFound();
  const checked = checkCsv(record.kind, record.content);
  if (!checked.ok) return importRecordPage(c, deps, { ok: false, text: t.nothingWritten }, checked.errors);
  const written = await writeImport(deps.sql, record, checked.parsed, c.get('user').email);
  if (!written.ok) return importRecordPage(c, deps, { ok: false, text: t.nothingWritten }, written.errors);
  // The rows are committed; workflows start in the background and the page shows their progress.
  void startImportedWorkflows(deps, record.id, written.invoices).catch((err: unknown) => deps.log?.(err));
  return c.redirect(sitePath`/import/${record.id}`, 303);
}

function flatten(value: unknown, prefix = ''): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(value as Record<string, unknown>)) {
    if (v && typeof v === 'object' && !Array.isArray(v)) Object.assign(out, flatten(v, `${prefix}${k}.`));
    else out[`${prefix}${k}`] = Array.isArray(v) ? v.join(', ') : String(v ?? '');
  }
  return out;
}
