import { html } from 'hono/html';
import type { Messages } from '../../i18n.js';
import { sitePath } from '../paths.js';

const postButton = (action: string, csrf: string, label: string, testId: string, primary = false) =>
  html`<form method="post" action="${action}" class="action inline"><input type="hidden" name="_csrf" value="${csrf}"><button type="submit" class="${primary ? 'primary' : ''}" data-testid="${testId}">${label}</button></form>`;

/** A run's letters: while they are still to print, downloading and marking as sent are explicit. */
export function runLetterButtons(run: { id: number; lettersDownloadedAt: Date | null }, csrf: string, t: Messages) {
  const base = sitePath`/runs/${run.id}/letters`;
  const links = html`<a href="${base}.pdf" class="button" data-testid="download-pdf">${run.lettersDownloadedAt ? t.downloadMerged : t.downloadOnlyPdf}</a>
    <a href="${base}.zip" class="button" data-testid="download-zip">${run.lettersDownloadedAt ? t.downloadZip : t.downloadOnlyZip}</a>`;
  if (run.lettersDownloadedAt) return html`<p class="downloads">${links} <span class="muted">${t.lettersPrinted}</span></p>`;
  return html`<p class="downloads">${postButton(`${base}.pdf`, csrf, t.downloadAndMarkPdf, 'print-pdf', true)} ${postButton(`${base}.zip`, csrf, t.downloadAndMarkZip, 'print-zip')}
    ${links} ${postButton(`${base}/printed`, csrf, t.markPrinted, 'mark-printed')}</p>
    <p class="muted">${t.downloadAdvances}</p>`;
}

/** One letter, from an invoice's timeline or a customer's reminders. */
export function letterLinks(doc: { id: number; filename: string; toPrint: boolean }, csrf: string, t: Messages) {
  const href = sitePath`/documents/${doc.id}`;
  const link = html`<a href="${href}" data-testid="letter">${doc.filename}</a>`;
  if (!doc.toPrint) return link;
  return html`${link} <span class="badge warn">${t.toPrint}</span> ${postButton(href, csrf, t.downloadAndMarkOne, 'print-letter')} ${postButton(`${href}/printed`, csrf, t.markPrinted, 'mark-letter-printed')}`;
}
