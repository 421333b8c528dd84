import { createHash } from 'node:crypto';
import type { Context } from 'hono';
import { importById, insertImport, recentImports, requestImportCancel } from '../../db/queries/imports.js';
import { writeAudit } from '../../db/queries/audit.js';
import type { WebDeps } from '../deps.js';
import { langOf, messages } from '../i18n.js';
import { checkCsv, type RowError } from '../import/csv-rows.js';
import { startImportedWorkflows, writeImport } from '../import/apply-import.js';
import type { AdminEnv } from './env.js';
import { refusal } from './form.js';
import { outcomeOnPage, type Flash } from './flash.js';
import { importProgressView, importRecordView, importView, KINDS } from './views/import.js';
import { sitePath } from './paths.js';

const MAX_BYTES = 20 * 1024 * 1024;
const PREVIEW_ROWS = 20;

type ImportDeps = WebDeps & { log?: (err: unknown) => void };

export async function importPage(c: Context<AdminEnv>, deps: ImportDeps, flash?: Flash, errors: RowError[] = []) {
  const t = messages(langOf(c));
  const shown = await outcomeOnPage(c, deps.sql, flash, '/import');
  if (shown.redirect) return shown.redirect;
  const view = importView({ recent: await recentImports(deps.sql), errors, csrf: c.get('user').csrfToken, flash: shown.flash, lang: langOf(c), t });
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

export async function importRecordPage(c: Context<AdminEnv>, deps: ImportDeps, flash?: Flash, errors: RowError[] = []) {
  const t = messages(langOf(c));
  const record = await importById(deps.sql, Number(c.req.param('id')));
  if (!record) return c.notFound();
  const shown = await outcomeOnPage(c, deps.sql, flash, sitePath`/import/${record.id}`);
  if (shown.redirect) return shown.redirect;
  const checked = checkCsv(record.kind, record.content);
  const rows = checked.ok ? checked.parsed.rows.slice(0, PREVIEW_ROWS) : [];
  const view = importRecordView({ record, rows, errors, csrf: c.get('user').csrfToken, now: Date.now(), flash: shown.flash, lang: langOf(c), t });
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
  const checked = checkCsv(record.kind, record.content);
  if (!checked.ok) return importRecordPage(c, deps, { ok: false, text: t.nothingWritten }, checked.errors);
  const written = await writeImport(deps.sql, record, checked.parsed, c.get('user').email);
  if (!written.ok) return importRecordPage(c, deps, { ok: false, text: t.nothingWritten }, written.errors);
  // The rows are committed; workflows start in the background and the page shows their progress.
  void startImportedWorkflows(deps, record.id, written.invoices).catch((err: unknown) => deps.log?.(err));
  return c.redirect(sitePath`/import/${record.id}`, 303);
}

