import { html } from 'hono/html';
import type { recentAudit } from '../../../db/queries/audit.js';
import type { Lang, Messages } from '../../i18n.js';
import { formatInstant } from '../../../services/format.js';

export type AuditModel = { entries: Awaited<ReturnType<typeof recentAudit>>; timezone: string; lang: Lang; t: Messages };

/** The values that differ between two snapshots, so a long template edit reads as what changed. */
function changes(before: unknown, after: unknown): { field: string; from: string; to: string }[] {
  const a = (before ?? {}) as Record<string, unknown>;
  const b = (after ?? {}) as Record<string, unknown>;
  const show = (v: unknown) => (v === undefined ? '' : typeof v === 'string' ? v : JSON.stringify(v));
  return [...new Set([...Object.keys(a), ...Object.keys(b)])]
    .filter((k) => JSON.stringify(a[k]) !== JSON.stringify(b[k]))
    .map((k) => ({ field: k, from: show(a[k]), to: show(b[k]) }));
}

/** Who changed which setting, when, and from what to what. */
export function auditView({ entries, timezone, lang, t }: AuditModel) {
  return html`<h1>${t.audit}</h1><section class="card">${entries.length === 0 ? html`<p class="muted">${t.none}</p>` : html`<table class="audit">
        <thead><tr><th>${t.date}</th><th>${t.user}</th><th>${t.action}</th><th>${t.entity}</th><th>${t.change}</th></tr></thead>
        <tbody>${entries.map(
          (e) => html`<tr><td class="nowrap">${formatInstant(e.at, lang, timezone, 'medium')}</td><td>${e.userName ?? '—'}</td><td><code>${e.action}</code></td><td>${e.entity}</td>
            <td>${changes(e.before, e.after).map((d) => html`<div class="diff"><strong>${d.field}</strong> <del>${d.from}</del> → <ins>${d.to}</ins></div>`)}</td></tr>`,
        )}</tbody></table>`}</section>`;
}
