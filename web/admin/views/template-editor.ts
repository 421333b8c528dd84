import { html } from 'hono/html';
import type { Channel, Language, TemplateKey } from '../../../db/queries/templates.js';
import { MERGE_FIELD_LISTS, MERGE_FIELD_NAMES } from '../../../services/documents/merge-fields.js';
import { templateFaultText, type TemplateProblem } from '../../../services/documents/template-check.js';
import type { Lang, Messages } from '../../i18n.js';
import type { Flash } from '../env.js';
import { flashOf } from './flash.js';
import { sitePath } from '../paths.js';

/** The shared templates (admins) or the signed-in user's own versions of them. */
export type TemplateScope = 'shared' | 'mine';

export const CHANNELS: Channel[] = ['email', 'letter'];
export const LANGUAGES: Language[] = ['fr', 'en'];
export const base = (scope: TemplateScope) => (scope === 'shared' ? '/settings/templates' : '/my-templates');

export interface Draft {
  subject: string;
  body: string;
  invoice: string;
}

export type TemplatePreview =
  | { problems: (TemplateProblem & { field: 'subject' | 'body' })[] }
  | { missingInvoice: string }
  | { invoice: string; subject: string; previewKey: string; language: Language };

export type TemplateEditorModel = {
  scope: TemplateScope;
  key: TemplateKey;
  target: string | number;
  path: string;
  title: string;
  back: string;
  hasStep: boolean;
  hasShared: boolean;
  hasOwn: boolean;
  /** A letter with no template of its own, printed from the e-mail's text. */
  fromEmail: boolean;
  current: Draft;
  preview: TemplatePreview;
  csrf: string;
  flash?: Flash;
  lang: Lang;
  t: Messages;
};

/** A template's editor: subject and body, the merge fields, and the live preview on an invoice. */
export function templateEditorView(m: TemplateEditorModel) {
  const { scope, key, target, path, title, back, hasStep, hasShared, hasOwn, fromEmail, current, preview, csrf, flash, lang, t } = m;
  return html`<p>${scope === 'shared' ? html`<a href="${back}">← ${t.steps}</a>` : html`<a href="/my-templates">← ${t.myTemplates}</a>`}</p>
      <h1>${scope === 'shared' ? t.templates : t.myTemplates} · ${title}</h1>
      <nav class="tabs">${CHANNELS.flatMap((ch) => LANGUAGES.map((l) => html`<a href="${base(scope)}/${target}/${ch}/${l}" class="${ch === key.channel && l === key.language ? 'active' : ''}">${t.channels[ch]} · ${l.toUpperCase()}</a>`))}
        ${scope === 'shared' && hasStep ? html`<a href="${sitePath`/my-templates/${target}/${key.channel}/${key.language}`}" class="right">${t.myVersion}</a>` : ''}</nav>
      ${flashOf(flash)}
      ${scope === 'mine' ? html`<p class="muted">${hasOwn ? t.ownVersionInUse : t.ownVersionNone}</p>` : fromEmail ? html`<p class="notice" data-testid="letter-from-email">${t.letterFromEmail}</p>` : !hasShared ? html`<p class="error">${t.templateMissing}</p>` : ''}
      <div class="editor">
        <form method="post" action="${path}" class="card form-grid" hx-post="${sitePath`/templates/preview/${target}/${key.channel}/${key.language}`}" hx-trigger="input delay:400ms" hx-target="#preview" hx-swap="outerHTML">
          <input type="hidden" name="_csrf" value="${csrf}">
          <label>${t.subject}<input name="subject" value="${current.subject}" required></label>
          <label>${t.body}<textarea name="body" rows="18" spellcheck="false" required>${current.body}</textarea></label>
          <label>${t.previewOn}<input name="invoice" value="${current.invoice}" class="narrow"></label>
          <div><button type="submit" class="primary">${t.save}</button></div>
        </form>
        <aside class="card merge-fields"><h2>${t.mergeFields}</h2>
          <p class="muted">${t.mergeFieldsHelp}</p>
          <ul>${MERGE_FIELD_NAMES.filter((n) => !MERGE_FIELD_LISTS.some((l) => n.startsWith(`${l.list}.`))).map((n) => html`<li><code>{{${n}}}</code></li>`)}</ul>
          ${MERGE_FIELD_LISTS.map((l) => html`<pre>{{#each ${l.list}}}
  ${l.itemFields.map((f) => `{{${f}}}`).join(' ')}
{{/each}}</pre>`)}
        </aside>
      </div>
      ${scope === 'mine' && hasOwn
        ? html`<form method="post" action="${path}/delete" class="action"><input type="hidden" name="_csrf" value="${csrf}"><button>${t.useSharedVersion}</button></form>`
        : ''}
      ${templatePreviewView(preview, lang, t)}`;
}

/** "Objet, ligne 2 : champ de fusion inconnu « x »": the field, the line and what is wrong, in the reader's language. */
export function templateProblemLine(p: TemplateProblem & { field: 'subject' | 'body' }, lang: Lang, t: Messages): string {
  return `${p.field === 'subject' ? t.subject : t.body}, ${t.line} ${p.line}${lang === 'fr' ? ' : ' : ': '}${templateFaultText(p, lang)}`;
}

/** The live preview: the problems with their lines, or the subject and the rendered e-mail. */
export function templatePreviewView(preview: TemplatePreview, lang: Lang, t: Messages) {
  if ('problems' in preview) {
    return html`<section id="preview" class="card"><h2>${t.preview}</h2><ul class="error problems">${preview.problems.map(
      (p) => html`<li>${templateProblemLine(p, lang, t)}</li>`,
    )}</ul></section>`;
  }
  if ('missingInvoice' in preview) return html`<section id="preview" class="card"><h2>${t.preview}</h2><p class="error">invoice: ${t.notFound} (${preview.missingInvoice})</p></section>`;
  return html`<section id="preview" class="card"><h2>${t.preview} · ${preview.invoice}</h2>
    <p><strong>${t.subject}:</strong> <span data-testid="preview-subject" lang="${preview.language}">${preview.subject}</span></p>
    <iframe src="${sitePath`/templates/preview/${preview.previewKey}`}" sandbox title="${t.preview}" class="preview-frame"></iframe></section>`;
}
