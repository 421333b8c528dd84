import { WorkflowFailedError } from '@temporalio/client';
import type { Context } from 'hono';
import { html } from 'hono/html';
import { formatDate, formatMoney, formatRate } from '../../services/format.js';
import type { InvoiceSummary } from '../../db/queries/invoices.js';
import { lateChargesOf, noteFile, notesOfInvoice } from '../../db/queries/late-charges.js';
import { lateChargeNoteWorkflowId } from '../../workflows/ids.js';
import { lateChargeNote } from '../../workflows/late-charge-note.js';
import type { WebDeps } from '../deps.js';
import type { Lang, Messages } from '../i18n.js';
import type { AdminEnv } from './env.js';
import { sitePath } from './paths.js';

/** What the invoice has accrued today under its policy, the notes issued, and the button to issue one. */
export async function lateChargesCard(deps: WebDeps, inv: InvoiceSummary, p: { csrf: string; today: string; lang: Lang; t: Messages }) {
  const { t, lang } = p;
  const [charges, notes] = await Promise.all([lateChargesOf(deps.sql, inv.id, p.today), notesOfInvoice(deps.sql, inv.id)]);
  if (!charges || (charges.none && notes.length === 0)) return '';
  const money = (cents: number) => formatMoney(cents, inv.currency, lang);
  const due = charges.interestCents + charges.indemnityCents;
  return html`<section class="card" id="late-charges"><h2>${t.lateCharges}</h2>
    ${charges.none
      ? html`<p class="muted">${t.chargesNone}</p>`
      : html`<table data-testid="late-charges"><tbody>
          <tr><th>${t.accruedAsOf(formatDate(p.today, lang))}</th><td class="num">${charges.daysLate} j</td></tr>
          <tr><th>${t.interest}${charges.rateBp === null ? '' : ` (${formatRate(charges.rateBp, lang)})`}</th><td class="num">${money(charges.interestCents)}</td></tr>
          <tr><th>${t.recoveryIndemnity}</th><td class="num">${money(charges.indemnityCents)}</td></tr>
          <tr><th>${t.total}</th><td class="num"><strong>${money(due)}</strong></td></tr>
        </tbody></table>
        ${charges.missingRates.map((d) => html`<p class="error">${t.referenceRateMissing(formatDate(d, lang))}</p>`)}
        ${due > 0
          ? html`<form method="post" action="${sitePath`/invoices/${inv.number}/late-charges`}" class="action"><input type="hidden" name="_csrf" value="${p.csrf}"><button type="submit">${t.issueNote}</button></form>`
          : ''}`}
    ${notes.length
      ? html`<h3>${t.notes}</h3><ul>${notes.map(
          (n) => html`<li><a href="${sitePath`/late-charge-notes/${n.id}`}" data-testid="late-charge-note">${n.filename}</a> · ${money(n.interestCents + n.indemnityCents)} · ${n.issuedBy}</li>`,
        )}</ul>`
      : ''}
  </section>`;
}

/** Issues today's note through the worker (Chromium renders it); the same day twice gives the same note. */
export async function issueLateChargeNote(deps: WebDeps, inv: InvoiceSummary, today: string, actor: string): Promise<{ ok: boolean; text?: string }> {
  try {
    await deps.temporal.workflow.execute(lateChargeNote, {
      workflowId: lateChargeNoteWorkflowId(inv.id, today), taskQueue: deps.taskQueue, args: [{ invoiceId: inv.id, asOf: today, actor }],
    });
    return { ok: true };
  } catch (err) {
    // The workflow failed because its activity refused: the reason is the activity's own message.
    if (err instanceof WorkflowFailedError) return { ok: false, text: `late charges: ${(err.cause?.cause as Error | undefined)?.message ?? err.cause?.message ?? err.message}` };
    throw err;
  }
}

export async function lateChargeNoteFile(c: Context<AdminEnv>, deps: WebDeps) {
  const file = await noteFile(deps.sql, Number(c.req.param('id')));
  if (!file) return c.notFound();
  c.header('Content-Type', 'application/pdf');
  c.header('Content-Disposition', `inline; filename="${file.filename}"`);
  return c.body(file.content as Uint8Array<ArrayBuffer>);
}
