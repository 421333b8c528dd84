import { randomBytes } from 'node:crypto';
import type { Context } from 'hono';
import { z } from 'zod';
import { PAIN008_FORMATS, sepaFileProblems, type Pain008Format } from '../../services/sepa/pain008.js';
import { cancelSepaRun, createSepaRun, markSepaCollected, type SepaCandidate, rejectSepaItem, sepaCandidates, sepaRunById, sepaRunItems, sepaRuns, sepaZip } from '../../db/queries/sepa-runs.js';
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
import { parseForm, refusal } from './form.js';
import type { AdminEnv } from './env.js';
import { outcomeOnPage, type Flash } from './flash.js';
import { sitePath } from './paths.js';
import { sepaPreviewView, sepaRunView, sepaSelectionRefusedView, sepaSelectionView, sepaView } from './views/sepa.js';

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
async function checkRun(deps: WebDeps, form: Record<string, unknown>, lang: Lang, t: Messages) {
  const parsed = parseForm(runForm, form, lang);
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
  return c.render(t.sepaRuns, sepaView({ runs, earliest, flash: shown.flash, lang, t }), shown.status);
}

/** What the run would collect, with totals, before anything is written; the total follows the boxes ticked. */
export async function sepaPreview(c: Context<AdminEnv>, deps: WebDeps) {
  const lang = langOf(c);
  const t = messages(lang);
  const checked = await checkRun(deps, c.req.query(), langOf(c), t);
  if (!checked.ok) return sepaPage(c, deps, { ok: false, text: `${t.refused}: ${checked.message}` });
  const candidates = await sepaCandidates(deps.sql, checked.value.collectionDate);
  if (candidates.length === 0) return sepaPage(c, deps, { ok: false, text: refusal(c, 'selection', t.nothingToCollect) });
  const blocking = await fileProblems(deps, checked.value.format, candidates);
  return c.render(t.newSepaRun, sepaPreviewView({ chosen: checked.value, candidates, blocking, csrf: c.get('user').csrfToken, lang, t }));
}

/** The summary again for the boxes now ticked: htmx asks for it at each change of the selection. */
export async function sepaSelection(c: Context<AdminEnv>, deps: WebDeps) {
  const lang = langOf(c);
  const t = messages(lang);
  const checked = await checkRun(deps, c.req.query(), langOf(c), t);
  if (!checked.ok) return c.html(sepaSelectionRefusedView(checked.message, t));
  const invoiceIds = c.req.queries('invoice')?.map(Number).filter((n) => Number.isInteger(n) && n > 0) ?? [];
  const chosen = await sepaCandidates(deps.sql, checked.value.collectionDate, invoiceIds);
  const blocking = await fileProblems(deps, checked.value.format, chosen);
  return c.html(sepaSelectionView({ chosen, blocking, format: checked.value.format, lang, t }));
}

export async function startSepaRun(c: Context<AdminEnv>, deps: WebDeps) {
  const t = messages(langOf(c));
  const body = await c.req.parseBody({ all: true });
  const checked = await checkRun(deps, body, langOf(c), t);
  if (!checked.ok) return sepaPage(c, deps, { ok: false, text: `${t.refused}: ${checked.message}` });
  const invoiceIds = [body.invoice ?? []].flat().map(Number).filter((n) => Number.isInteger(n) && n > 0);
  if (invoiceIds.length === 0) return sepaPage(c, deps, { ok: false, text: refusal(c, 'selection', t.nothingToCollect) });
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
  const workflow = run.status === 'generating' ? await runWorkflowState(deps, sepaRunWorkflowId(run.id)) : null;
  return c.render(`SEPA #${run.id}`, sepaRunView({ run, items, workflow, csrf: c.get('user').csrfToken, flash: shown.flash, lang, t }), shown.status);
}

/** What keeps the chosen format's file from being built (a debtor without a BIC…), each naming the debtor. */
async function fileProblems(deps: WebDeps, format: Pain008Format, candidates: SepaCandidate[]): Promise<string[]> {
  const inFile = candidates.filter((c) => c.channel === 'file');
  if (inFile.length === 0) return [];
  const creditor = await getSepaCreditor(deps.sql);
  return sepaFileProblems({ format, creditor, debits: inFile.map((c) => ({ amountCents: c.amountCents, debtor: { name: `${c.holder} (${c.number})`, bic: c.bic } })) })
    .map((p) => p.message);
}

export async function sepaFile(c: Context<AdminEnv>, deps: WebDeps) {
  const id = Number(c.req.param('id'));
  const [run, zip] = await Promise.all([sepaRunById(deps.sql, id), sepaZip(deps.sql, id)]);
  if (!run || !zip) return c.notFound();
  c.header('Content-Type', 'application/zip');
  c.header('Content-Disposition', `attachment; filename="${run.messageId}.zip"`);
  return c.body(zip as Uint8Array<ArrayBuffer>);
}

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

/** The bank's outcome: the whole run collected (payments recorded), or one transaction returned (dunning resumes). */
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
  if (!reason) return sepaRunPage(c, deps, { ok: false, text: refusal(c, 'reason', `required`) });
  const invoiceId = Number(form.invoice);
  if (await rejectSepaItem(deps.sql, runId, invoiceId, reason.slice(0, 200), actor)) await wakeWorkflows(deps, [invoiceId]);
  return sepaRunPage(c, deps, { ok: true, text: t.done });
}
