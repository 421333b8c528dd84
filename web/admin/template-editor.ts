import type { Context } from 'hono';
import { loadMergeFields } from '../../services/documents/load-merge-fields.js';
import { type MergeFields } from '../../services/documents/merge-fields.js';
import { renderEmail } from '../../services/documents/render.js';
import { checkTemplate, templateProblem, type TemplateProblem } from '../../services/documents/template-check.js';
import { writeAudit } from '../../db/queries/audit.js';
import { invoiceByNumber, invoiceFacts, sampleInvoiceNumber } from '../../db/queries/invoices.js';
import { getSettings } from '../../db/queries/settings.js';
import { stepById, stepsOfPolicy, type FollowUpStep } from '../../db/queries/steps.js';
import {
  deleteUserTemplate, saveTemplate, SPECIAL_PURPOSES, templateAt, type Channel, type Language, type SpecialPurpose, type TemplateKey,
} from '../../db/queries/templates.js';
import { localDate } from '../../workflows/schedule/zoned-time.js';
import type { WebDeps } from '../deps.js';
import { langOf, messages, type Messages } from '../i18n.js';
import type { AdminEnv } from './env.js';
import { outcomeOnPage, type Flash } from './flash.js';
import { sandboxedHtml, type PreviewStore } from './preview-store.js';
import { sitePath } from './paths.js';
import { base, CHANNELS, LANGUAGES, templateEditorView, templatePreviewView, templateProblemLine, type Draft, type TemplatePreview, type TemplateScope } from './views/template-editor.js';

/** The editor renders previews into a store the preview route serves from. */
export type EditorDeps = WebDeps & { previews: PreviewStore };



/** The `:target` of the editor's routes: a step's id, or a special template's purpose. */
export const TEMPLATE_TARGET = `{[0-9]{1,15}|${SPECIAL_PURPOSES.join('|')}}`;

function keyOf(c: Context): TemplateKey | undefined {
  const channel = c.req.param('channel') as Channel;
  const language = c.req.param('lang') as Language;
  if (!CHANNELS.includes(channel) || !LANGUAGES.includes(language)) return undefined;
  const target = c.req.param('target');
  const special = SPECIAL_PURPOSES.find((p) => p === target);
  return special ? { stepId: null, purpose: special, channel, language } : { stepId: Number(target), purpose: 'reminder', channel, language };
}

const targetOf = (key: TemplateKey) => key.stepId ?? key.purpose;

/** What the template is written for: its step, or (a special template) no step. */
async function subjectOf(sql: WebDeps['sql'], key: TemplateKey, t: Messages): Promise<{ step?: FollowUpStep; title: string; back: string } | undefined> {
  if (key.stepId === null) return { title: t.specialTemplates[key.purpose as SpecialPurpose], back: '/settings/policies' };
  const step = await stepById(sql, key.stepId);
  return step && { step, title: `${step.level} · ${step.name}`, back: `/settings/policies/${step.policyId}` };
}

/** Problems of the subject and the body, each named by field and line. */
function problemsOf(draft: Pick<Draft, 'subject' | 'body'>): (TemplateProblem & { field: 'subject' | 'body' })[] {
  return [
    ...(draft.subject.trim() ? checkTemplate(draft.subject).map((p) => ({ ...p, field: 'subject' as const })) : [{ field: 'subject' as const, ...templateProblem(1, { kind: 'required' }) }]),
    ...(draft.body.trim() ? checkTemplate(draft.body).map((p) => ({ ...p, field: 'body' as const })) : [{ field: 'body' as const, ...templateProblem(1, { kind: 'required' }) }]),
  ];
}

export async function templatePage(c: Context<AdminEnv>, deps: EditorDeps, scope: TemplateScope, flash?: Flash, draft?: Draft) {
  const lang = langOf(c);
  const t = messages(lang);
  const key = keyOf(c);
  const subject = key && (await subjectOf(deps.sql, key, t));
  if (!key || !subject || (scope === 'mine' && !subject.step)) return c.notFound();
  const user = c.get('user');
  const shared = await templateAt(deps.sql, key);
  const own = scope === 'mine' ? await templateAt(deps.sql, key, user.id) : undefined;
  // A letter without its own template is printed from the e-mail's text: the tab shows that text.
  const fromEmail = key.channel === 'letter' && !own && !shared
    ? (scope === 'mine' ? await templateAt(deps.sql, { ...key, channel: 'email' }, user.id) : undefined) ?? (await templateAt(deps.sql, { ...key, channel: 'email' }))
    : undefined;
  const stored = own ?? shared ?? fromEmail;
  const current: Draft = draft ?? { subject: stored?.subject ?? '', body: stored?.body ?? '', invoice: c.req.query('invoice') ?? (await sampleInvoiceNumber(deps.sql)) ?? '' };
  const target = targetOf(key);
  const path = `${base(scope)}/${target}/${key.channel}/${key.language}`;
  const shown = await outcomeOnPage(c, deps.sql, flash, current.invoice ? `${path}?${new URLSearchParams({ invoice: current.invoice })}` : path);
  if (shown.redirect) return shown.redirect;
  const preview = await previewOf(deps, user.id, subject.step, key, current);
  const view = templateEditorView({
    scope, key, target, path, title: subject.title, back: subject.back, hasStep: Boolean(subject.step), hasShared: Boolean(shared), hasOwn: Boolean(own), fromEmail: Boolean(fromEmail),
    current, preview, csrf: user.csrfToken, flash: shown.flash, lang, t,
  });
  return c.render(`${t.templates} · ${subject.title}`, view, shown.status);
}

/** The live preview: the problems with their lines, or the rendered e-mail, kept in the store for the preview route. */
async function previewOf(deps: EditorDeps, userId: number, step: FollowUpStep | undefined, key: TemplateKey, draft: Draft): Promise<TemplatePreview> {
  const problems = problemsOf(draft);
  if (problems.length) return { problems };
  const fields = await previewFields(deps, step, key.language, draft.invoice);
  if (!fields) return { missingInvoice: draft.invoice };
  const email = renderEmail(draft, fields);
  return { invoice: draft.invoice, subject: email.subject, previewKey: deps.previews.put(userId, email.html), language: key.language };
}

/** The fields of a reminder to that invoice at the template's step (a special template: at the invoice's next step). */
async function previewFields(deps: WebDeps, step: FollowUpStep | undefined, language: Language, number: string): Promise<MergeFields | undefined> {
  const summary = number ? await invoiceByNumber(deps.sql, number) : undefined;
  const invoice = summary && (await invoiceFacts(deps.sql, summary.id));
  if (!invoice) return undefined;
  const settings = await getSettings(deps.sql);
  const today = localDate(Date.now(), settings.timezone);
  const steps = invoice.policyId ? await stepsOfPolicy(deps.sql, invoice.policyId) : [];
  const lastLevel = invoice.lastSent?.level ?? 0;
  const at = step ?? steps.find((s) => s.level > lastLevel) ?? steps.at(-1);
  if (!at) return undefined;
  return (await loadMergeFields(deps.sql, { invoice, settings, level: at.level, step: at, today, language, publicUrl: deps.publicUrl })).fields;
}

export async function previewAction(c: Context<AdminEnv>, deps: EditorDeps) {
  const lang = langOf(c);
  const t = messages(lang);
  const key = keyOf(c);
  const subject = key && (await subjectOf(deps.sql, key, t));
  if (!key || !subject) return c.notFound();
  return c.html(templatePreviewView(await previewOf(deps, c.get('user').id, subject.step, key, await draftOf(c)), lang, t));
}

export function servePreview(c: Context<AdminEnv>, previews: PreviewStore) {
  const page = previews.get(c.get('user').id, c.req.param('key')!);
  if (!page) return c.text(messages(langOf(c)).previewExpired, 404);
  return sandboxedHtml(c, page);
}

async function draftOf(c: Context): Promise<Draft> {
  const form = await c.req.parseBody();
  return { subject: String(form.subject ?? ''), body: String(form.body ?? ''), invoice: String(form.invoice ?? '').trim() };
}

/** Saves a template only when both parts compile and name known fields; else the draft comes back with the reasons. */
export async function saveTemplateAction(c: Context<AdminEnv>, deps: EditorDeps, scope: TemplateScope) {
  const lang = langOf(c);
  const t = messages(lang);
  const key = keyOf(c);
  const subject = key && (await subjectOf(deps.sql, key, t));
  if (!key || !subject || (scope === 'mine' && !subject.step)) return c.notFound();
  const draft = await draftOf(c);
  const problems = problemsOf(draft);
  if (problems.length) {
    const text = problems.map((p) => templateProblemLine(p, lang, t)).join(' · ');
    return templatePage(c, deps, scope, { ok: false, text: `${t.refused}: ${text}` }, draft);
  }
  const user = c.get('user');
  const owner = scope === 'mine' ? user.id : undefined;
  const before = await templateAt(deps.sql, key, owner);
  await saveTemplate(deps.sql, key, draft, owner);
  if (scope === 'shared') {
    await writeAudit(deps.sql, {
      userId: user.id, action: 'template.update', entity: `template:${targetOf(key)}/${key.channel}/${key.language}`,
      before: before ? { subject: before.subject, body: before.body } : null, after: { subject: draft.subject, body: draft.body },
    });
  }
  return templatePage(c, deps, scope, { ok: true, text: t.done }, draft);
}

export async function dropOwnTemplate(c: Context<AdminEnv>, deps: EditorDeps) {
  const key = keyOf(c);
  if (!key) return c.notFound();
  await deleteUserTemplate(deps.sql, key, c.get('user').id);
  return c.redirect(sitePath`/my-templates/${targetOf(key)}/${key.channel}/${key.language}`, 303);
}
