import { createHash } from 'node:crypto';
import type { Context } from 'hono';
import { claimImport, importById, importDocuments, insertImport, insertImportDocuments, recentImports, requestImportCancel, setWorkflowsTotal, type ImportRecord } from '../../db/queries/imports.js';
import { writeAudit } from '../../db/queries/audit.js';
import type { WebDeps } from '../deps.js';
import { langOf, messages } from '../i18n.js';
import { checkCsv, type RowError } from '../import/csv-rows.js';
import { startImportedWorkflows, writeImport } from '../import/apply-import.js';
import { checkFacturX, FacturXRefused, writeFacturX, type FileProblem } from '../import/factur-x-import.js';
import { BODY_LIMITS } from '../body-limits.js';
import type { AdminEnv } from './env.js';
import { refusal } from './form.js';
import { outcomeOnPage, type Flash } from './flash.js';
import { importProgressView, importRecordView, importView, KINDS } from './views/import.js';
import { facturXRecordView } from './views/factur-x-import.js';
import { sitePath } from './paths.js';

const MAX_BYTES = 20 * 1024 * 1024;
const PREVIEW_ROWS = 20;
const MAX_FACTUR_X_FILES = 100;

type ImportDeps = WebDeps & { log?: (err: unknown) => void };

export async function importPage(c: Context<AdminEnv>, deps: ImportDeps, flash?: Flash, errors: RowError[] = [], fileProblems: FileProblem[] = []) {
  const t = messages(langOf(c));
  const shown = await outcomeOnPage(c, deps.sql, flash, '/import');
  if (shown.redirect) return shown.redirect;
  const view = importView({ recent: await recentImports(deps.sql), errors, fileProblems, csrf: c.get('user').csrfToken, flash: shown.flash, lang: langOf(c), t });
  return c.render(t.import, view, shown.status);
}

/** Checks an uploaded file; only a file without a single bad row is kept, for a preview and a confirmation. */
export async function uploadImport(c: Context<AdminEnv>, deps: ImportDeps) {
  const t = messages(langOf(c));
  const form = await c.req.parseBody();
  const kind = KINDS.find((k) => k === form.kind);
  const file = form.file;
  if (!kind) return importPage(c, deps, { ok: false, text: refusal(c, 'kind', `customers, invoices or payments`) });
  if (!(file instanceof File) || file.size === 0) return importPage(c, deps, { ok: false, text: refusal(c, 'file', t.chooseFile) });
  if (file.size > MAX_BYTES) return importPage(c, deps, { ok: false, text: refusal(c, 'file', `larger than 20 MB`) });
  const content = await file.text();
  const checked = checkCsv(kind, content);
  if (!checked.ok) return importPage(c, deps, { ok: false, text: t.nothingWritten }, checked.errors);
  const id = await insertImport(deps.sql, {
    kind, filename: file.name, content, rowCount: checked.parsed.rows.length, userId: c.get('user').id,
    fileSha256: createHash('sha256').update(content).digest('hex'),
  });
  return c.redirect(sitePath`/import/${id}`, 303);
}

/**
 * Checks dropped Factur-X PDFs; only a batch without a single bad file is kept, for a preview and a
 * confirmation, as a CSV file is.
 */
export async function uploadFacturX(c: Context<AdminEnv>, deps: ImportDeps) {
  const t = messages(langOf(c));
  const form = await c.req.parseBody({ all: true });
  const files = [form.files ?? []].flat().filter((f): f is File => f instanceof File && f.size > 0);
  if (files.length === 0) return importPage(c, deps, { ok: false, text: refusal(c, 'files', t.chooseFacturX) });
  if (files.length > MAX_FACTUR_X_FILES) return importPage(c, deps, { ok: false, text: refusal(c, 'files', `at most ${MAX_FACTUR_X_FILES} files`) });
  const tooLarge = files.filter((f) => f.size > BODY_LIMITS.invoicePdf).map((f) => ({ file: f.name, field: 'file', message: 'is larger than 10 MB' }));
  if (tooLarge.length) return importPage(c, deps, { ok: false, text: t.nothingWritten }, [], tooLarge);
  const batch = await Promise.all(files.map(async (f) => ({ filename: f.name.slice(0, 200), content: new Uint8Array(await f.arrayBuffer()) })));
  const checked = await checkFacturX(deps.sql, batch);
  if (!checked.ok) return importPage(c, deps, { ok: false, text: t.nothingWritten }, [], checked.problems);
  const digest = createHash('sha256');
  for (const f of batch) digest.update(f.content);
  const id = await deps.sql.begin(async (tx) => {
    const id = await insertImport(tx, {
      kind: 'factur-x', filename: batch.map((f) => f.filename).join(', ').slice(0, 300), content: '', rowCount: batch.length, userId: c.get('user').id, fileSha256: digest.digest('hex'),
    });
    await insertImportDocuments(tx, id, batch);
    return id;
  });
  return c.redirect(sitePath`/import/${id}`, 303);
}

export async function importRecordPage(c: Context<AdminEnv>, deps: ImportDeps, flash?: Flash, errors: RowError[] = [], fileProblems: FileProblem[] = []) {
  const t = messages(langOf(c));
  const record = await importById(deps.sql, Number(c.req.param('id')));
  if (!record) return c.notFound();
  const shown = await outcomeOnPage(c, deps.sql, flash, sitePath`/import/${record.id}`);
  if (shown.redirect) return shown.redirect;
  if (record.kind === 'factur-x') return facturXRecordPage(c, deps, record, shown, fileProblems);
  const checked = checkCsv(record.kind, record.content);
  const rows = checked.ok ? checked.parsed.rows.slice(0, PREVIEW_ROWS) : [];
  const view = importRecordView({ record, rows, errors, csrf: c.get('user').csrfToken, now: Date.now(), flash: shown.flash, lang: langOf(c), t });
  return c.render(`${t.import} #${record.id}`, view, shown.status);
}

async function facturXRecordPage(c: Context<AdminEnv>, deps: ImportDeps, record: ImportRecord, shown: { flash?: Flash; status?: 200 | 422 }, fileProblems: FileProblem[]) {
  const t = messages(langOf(c));
  // Checked again as the database is now: the preview shows what the confirmation will write.
  const checked = record.status === 'checked' ? await checkFacturX(deps.sql, await importDocuments(deps.sql, record.id)) : undefined;
  const view = facturXRecordView({
    record, invoices: checked?.ok ? checked.invoices : [], problems: [...fileProblems, ...(checked && !checked.ok ? checked.problems : [])],
    csrf: c.get('user').csrfToken, now: Date.now(), flash: shown.flash, lang: langOf(c), t,
  });
  return c.render(`${t.import} #${record.id}`, view, shown.status);
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
  return c.html(importProgressView(record, c.get('user').csrfToken, Date.now(), messages(langOf(c))));
}

export async function applyImportAction(c: Context<AdminEnv>, deps: ImportDeps) {
  const t = messages(langOf(c));
  const record = await importById(deps.sql, Number(c.req.param('id')));
  if (!record) return c.notFound();
  if (record.kind === 'factur-x') return applyFacturX(c, deps, record);
  const checked = checkCsv(record.kind, record.content);
  if (!checked.ok) return importRecordPage(c, deps, { ok: false, text: t.nothingWritten }, checked.errors);
  const written = await writeImport(deps.sql, record, checked.parsed, c.get('user').email);
  if (!written.ok) return importRecordPage(c, deps, { ok: false, text: t.nothingWritten }, written.errors);
  // The rows are committed; workflows start in the background and the page shows their progress.
  void startImportedWorkflows(deps, record.id, written.invoices).catch((err: unknown) => deps.log?.(err));
  return c.redirect(sitePath`/import/${record.id}`, 303);
}


/** Writes a checked Factur-X batch in one transaction, or nothing, then starts its workflows as a CSV import does. */
async function applyFacturX(c: Context<AdminEnv>, deps: ImportDeps, record: ImportRecord) {
  const t = messages(langOf(c));
  const checked = await checkFacturX(deps.sql, await importDocuments(deps.sql, record.id));
  if (!checked.ok) return importRecordPage(c, deps, { ok: false, text: t.nothingWritten }, [], checked.problems);
  let toStart;
  try {
    toStart = await deps.sql.begin(async (tx) => {
      if (!(await claimImport(tx, record.id))) throw new FacturXRefused([{ file: record.filename, field: 'file', message: 'this file was already imported' }]);
      const written = (await writeFacturX(tx, checked.invoices, c.get('user').email)).filter((w) => !w.stopped);
      await setWorkflowsTotal(tx, record.id, written.length);
      return written;
    });
  } catch (err) {
    if (err instanceof FacturXRefused) return importRecordPage(c, deps, { ok: false, text: t.nothingWritten }, [], err.problems);
    throw err;
  }
  void startImportedWorkflows(deps, record.id, toStart).catch((err: unknown) => deps.log?.(err));
  return c.redirect(sitePath`/import/${record.id}`, 303);
}
