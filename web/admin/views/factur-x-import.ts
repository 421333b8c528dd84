import { html } from 'hono/html';
import type { ImportRecord } from '../../../db/queries/imports.js';
import type { CheckedFacturX, FileProblem } from '../../import/factur-x-import.js';
import type { Lang, Messages } from '../../i18n.js';
import { formatDate, formatMoney } from '../../../services/format.js';
import type { Flash } from '../env.js';
import { flashOf } from './flash.js';
import { fileProblemTable, importProgressView } from './import.js';
import { sitePath } from '../paths.js';

export type FacturXRecordModel = {
  record: ImportRecord; invoices: CheckedFacturX[]; problems: FileProblem[]; csrf: string; now: number; flash?: Flash; lang: Lang; t: Messages;
};

/** A batch of Factur-X invoices: what each file will create or update, then the confirmation, then its workflows' progress. */
export function facturXRecordView({ record, invoices, problems, csrf, now, flash, lang, t }: FacturXRecordModel) {
  return html`<p><a href="/import">← ${t.import}</a></p>
    <h1>${t.import} #${record.id} · ${t.importKinds['factur-x']}</h1>${flashOf(flash)}${fileProblemTable(problems, lang, t)}
    ${record.status !== 'checked'
      ? importProgressView(record, csrf, now, t)
      : invoices.length
        ? html`<section class="card"><p class="notice">${t.facturXReady(invoices.length)}</p>
            <form method="post" action="${sitePath`/import/${record.id}/apply`}" class="action"><input type="hidden" name="_csrf" value="${csrf}">
              <button type="submit" class="primary">${t.confirmFacturX(invoices.length)}</button></form></section>`
        : ''}
    ${invoices.length ? html`<section class="card"><h2>${t.preview}</h2>
      <div class="scroll"><table data-testid="factur-x-preview"><thead><tr>
        <th>${t.file}</th><th>${t.facturXProfile}</th><th>${t.invoice}</th><th>${t.customer}</th><th>${t.facturXIssued}</th><th>${t.dueDate}</th>
        <th class="num">${t.total}</th><th class="num">${t.facturXLines}</th><th>${t.facturXDebit}</th></tr></thead>
      <tbody>${invoices.map((i) => html`<tr>
        <td>${i.filename}</td><td>${i.profile}</td><td>${i.invoice.number}</td>
        <td>${i.buyer.name} <span class="muted">${i.buyer.ref} · ${i.buyer.known ? t.facturXKnownCustomer : t.facturXNewCustomer}</span></td>
        <td>${formatDate(i.invoice.issueDate, lang)}</td><td>${i.schedule.dueDate ? formatDate(i.schedule.dueDate, lang) : '—'}</td>
        <td class="num">${formatMoney(i.invoice.totalCents, i.invoice.currency, lang)}${i.prepaidCents ? html`<br><span class="muted">${t.facturXPrepaid(formatMoney(i.prepaidCents, i.invoice.currency, lang))}</span>` : ''}</td>
        <td class="num">${i.invoice.lines?.length ?? 0}</td><td>${i.mandate ? i.mandate.reference : '—'}</td>
      </tr>`)}</tbody></table></div></section>` : ''}`;
}
