import { ZipArchive } from 'archiver';
import type { Context } from 'hono';
import { stream } from 'hono/streaming';
import { mergePdfs } from '../../services/pdf/merge.js';
import { noteLettersDownloaded } from '../../db/queries/bulk-runs.js';
import { documentById, lettersOfRun } from '../../db/queries/documents.js';
import { markLettersPrinted } from '../../db/queries/reminders.js';
import type { WebDeps } from '../deps.js';
import { wakeWorkflows } from '../../services/temporal/wake-workflows.js';
import type { AdminEnv } from './env.js';
import { sameOriginReferrer, sitePath } from './paths.js';

// Downloading a letter changes nothing (a GET can be triggered by any page the user visits); a
// letter becomes sent, and its invoice's level advances, only on an explicit POST carrying the
// CSRF token: "mark as printed", or "download and mark" in one go (source 002's convenience).

type Which = { runId: number } | { reminderId: number };

async function markPrinted(c: Context<AdminEnv>, deps: WebDeps, which: Which): Promise<void> {
  const invoiceIds = await markLettersPrinted(deps.sql, which, c.get('user').email);
  if ('runId' in which) await noteLettersDownloaded(deps.sql, which.runId);
  await wakeWorkflows(deps, invoiceIds);
}

const runId = (c: Context) => Number(c.req.param('id'));

function attachment(c: Context, type: string, filename: string) {
  c.header('Content-Type', type);
  c.header('Content-Disposition', `attachment; filename="${filename}"`);
}

async function sendRunPdf(c: Context<AdminEnv>, deps: WebDeps, mark: boolean) {
  const letters = await lettersOfRun(deps.sql, runId(c));
  if (letters.length === 0) return c.notFound();
  const merged = await mergePdfs(letters.map((l) => l.content));
  if (mark) await markPrinted(c, deps, { runId: runId(c) });
  attachment(c, 'application/pdf', `relance-run-${runId(c)}-letters.pdf`);
  return c.body(merged.pdf as Uint8Array<ArrayBuffer>);
}

async function sendRunZip(c: Context<AdminEnv>, deps: WebDeps, mark: boolean) {
  const letters = await lettersOfRun(deps.sql, runId(c));
  if (letters.length === 0) return c.notFound();
  if (mark) await markPrinted(c, deps, { runId: runId(c) });
  attachment(c, 'application/zip', `relance-run-${runId(c)}-letters.zip`);
  return stream(c, async (out) => {
    const zip = new ZipArchive({ zlib: { level: 6 } });
    for (const letter of letters) zip.append(Buffer.from(letter.content), { name: letter.filename });
    const done = zip.finalize();
    for await (const chunk of zip) await out.write(chunk as Uint8Array);
    await done;
  });
}

async function sendDocument(c: Context<AdminEnv>, deps: WebDeps, mark: boolean) {
  const doc = await documentById(deps.sql, Number(c.req.param('id')));
  if (!doc) return c.notFound();
  if (mark && doc.reminderId !== null) await markPrinted(c, deps, { reminderId: doc.reminderId });
  attachment(c, 'application/pdf', doc.filename);
  return c.body(doc.content as Uint8Array<ArrayBuffer>);
}

export const runLettersPdf = (c: Context<AdminEnv>, deps: WebDeps) => sendRunPdf(c, deps, false);
export const runLettersZip = (c: Context<AdminEnv>, deps: WebDeps) => sendRunZip(c, deps, false);
export const printRunLettersPdf = (c: Context<AdminEnv>, deps: WebDeps) => sendRunPdf(c, deps, true);
export const printRunLettersZip = (c: Context<AdminEnv>, deps: WebDeps) => sendRunZip(c, deps, true);
export const documentDownload = (c: Context<AdminEnv>, deps: WebDeps) => sendDocument(c, deps, false);
export const printDocument = (c: Context<AdminEnv>, deps: WebDeps) => sendDocument(c, deps, true);

export async function markRunLettersPrinted(c: Context<AdminEnv>, deps: WebDeps) {
  if ((await lettersOfRun(deps.sql, runId(c))).length === 0) return c.notFound();
  await markPrinted(c, deps, { runId: runId(c) });
  return c.redirect(sitePath`/runs/${runId(c)}`, 303);
}

export async function markDocumentPrinted(c: Context<AdminEnv>, deps: WebDeps) {
  const doc = await documentById(deps.sql, Number(c.req.param('id')));
  if (!doc) return c.notFound();
  if (doc.reminderId !== null) await markPrinted(c, deps, { reminderId: doc.reminderId });
  // Back to the page the button was on.
  return c.redirect(sameOriginReferrer(c.req.header('referer'), new URL(deps.publicUrl).origin), 303);
}
