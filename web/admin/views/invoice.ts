import { html } from 'hono/html';
import type { disputesAndPromisesOf } from '../../../db/queries/disputes.js';
import type { lettersOfInvoice } from '../../../db/queries/documents.js';
import type { timelineOf } from '../../../db/queries/events.js';
import type { InvoiceSummary } from '../../../db/queries/invoices.js';
import type { InvoiceCharges, LateChargeNote } from '../../../db/queries/late-charges.js';
import { MANUAL_PAYMENT_METHODS, type paymentsOf } from '../../../db/queries/payments.js';
import { formatDate, formatInstant, formatMoney, formatQuantity, formatRate, formatVatRate, INSTALLMENT_STATE_NAMES } from '../../../services/format.js';
import type { liveDunningState } from '../../../services/temporal/dunning-state.js';
import type { AmountsOwed } from '../../../workflows/schedule/amounts-owed.js';
import { addDays } from '../../../workflows/schedule/calendar-date.js';
import type { InvoiceTotals } from '../../../workflows/schedule/invoice-lines.js';
import type { forecast } from '../../../workflows/schedule/next-action.js';
import type { Lang, Messages } from '../../i18n.js';
import { reasonText } from '../../reason-texts.js';
import { eventText } from '../../timeline-texts.js';
import type { DisputeAction } from '../invoice-disputes.js';
import type { Flash } from '../env.js';
import { flashOf } from './flash.js';
import { sitePath } from '../paths.js';
import { letterLinks } from './letter-links.js';

type DisputesAndPromises = Awaited<ReturnType<typeof disputesAndPromisesOf>>;

export type InvoiceModel = {
  inv: InvoiceSummary;
  today: string;
  /** Still owed and open: the page offers the actions that chase it. */
  open: boolean;
  /** The steps ahead, as the workflow will take them (none once its workflow has closed). */
  forecast: ReturnType<typeof forecast>;
  owed: AmountsOwed | null;
  withInstallments: boolean;
  payments: Awaited<ReturnType<typeof paymentsOf>>;
  timeline: Awaited<ReturnType<typeof timelineOf>>;
  live: Awaited<ReturnType<typeof liveDunningState>>;
  letters: Awaited<ReturnType<typeof lettersOfInvoice>>;
  disputes: DisputesAndPromises;
  charges: InvoiceCharges | undefined;
  notes: LateChargeNote[];
  /** The invoice's lines and VAT, when the billing system sent them. */
  totals: InvoiceTotals | null;
  timezone: string;
  csrf: string;
  userName: string;
  flash?: Flash;
  lang: Lang;
  t: Messages;
};

/** An invoice's page: details, schedule, payments, timeline, forecast and its live workflow. */
export function invoiceView(m: InvoiceModel) {
  const { inv, today, open, forecast, owed, withInstallments, payments, timeline, live, letters, disputes, charges, notes, totals, timezone, csrf, userName, flash, lang, t } = m;
  const money = (cents: number) => formatMoney(cents, inv.currency, lang);
  // Per installment, what a reminder sent today would call paid, due and to come.
  const installments = withInstallments && owed ? owed.installments : [];
  const states = INSTALLMENT_STATE_NAMES[lang];
  const action = (path: string, label: string, fields: unknown = '') =>
    html`<form method="post" action="${sitePath`/invoices/${inv.number}/${path}`}" class="action">
      <input type="hidden" name="_csrf" value="${csrf}">${fields}<button type="submit">${label}</button></form>`;

  return html`<h1>${t.invoice} ${inv.number} <span class="badge">${t.invoiceStatuses[inv.status]}</span>${inv.paused ? html` <span class="badge">${t.paused}</span>` : ''}${inv.stoppedAt ? html` <span class="badge warn" data-testid="stopped">${t.stoppedByOperator}</span>` : ''}</h1>
      ${inv.stoppedAt ? html`<p class="card notice" role="status">${t.stoppedNotice(formatInstant(inv.stoppedAt, lang, timezone))}</p>` : ''}
      ${flashOf(flash)}
      <div class="cards">
        <div class="card"><h2>${t.customer}</h2><div><a href="${sitePath`/customers/${inv.customerRef}`}">${inv.customerName}</a></div></div>
        <div class="card"><h2>${t.amount}</h2><div class="kpi">${money(inv.totalCents)}</div></div>
        <div class="card"><h2>${t.balance}</h2><div class="kpi ${open ? 'red' : ''}" data-testid="balance">${money(inv.totalCents - inv.paidCents)}</div>
          ${open && owed && owed.toComeCents > 0 ? html`<div class="muted" data-testid="balance-split">${t.balanceSplit.replace('{due}', money(owed.dueCents)).replace('{toCome}', money(owed.toComeCents))}</div>` : ''}</div>
        <div class="card"><h2>${t.dueDate}</h2><div class="kpi">${inv.dueDate ? formatDate(inv.dueDate, lang) : ''}</div>
          ${inv.paymentTermsName ? html`<div class="muted" data-testid="payment-terms">${inv.paymentTermsName}</div>` : ''}</div>
      </div>
      <div class="grid2">
        <section class="card"><h2>${t.forecast}</h2>
          ${forecast.length === 0 ? html`<p class="muted">${open ? t.ended : t.none}</p>` : html`<table class="forecast"><tbody>${forecast.map(
            (s) => html`<tr class="${s.sendDate <= today ? 'reached' : ''}"><td>${s.level} · ${s.name}</td><td>${formatDate(s.sendDate, lang)}</td></tr>`,
          )}</tbody></table>`}
        </section>
        <section class="card"><h2>${t.workflow}</h2>
          ${live === 'unavailable'
            ? html`<p class="failed" data-testid="workflow-unavailable">⚠ ${t.workflowUnavailable}</p>`
            : live
            ? html`<p><strong>${t.workflowRunStatuses[live.runStatus] ?? live.runStatus}</strong>${live.state ? html` · ${t.dunningStatuses[live.state.status]} · ${t.level} ${live.state.level}${live.state.next ? html` · <span data-testid="workflow-next">${live.state.next.name} ${formatDate(live.state.next.sendDate, lang)}</span>` : ''}${live.state.blockedReason ? html`<div class="failed">⚠ ${reasonText(live.state.blockedReason, lang)}</div>` : ''}` : ''}</p>
              ${live.stateUnanswered ? html`<p class="muted" data-testid="workflow-state-unanswered">${t.workflowStateUnanswered}</p>` : ''}
              <p><a href="${live.temporalUiUrl}" target="_blank" rel="noopener">${t.openInTemporal} ↗</a></p>`
            : html`<p class="muted">${t.notRunning}</p>`}
          ${open
            ? html`<div class="actions" id="actions">
                ${action('send-now', t.sendNow, html`${forecast.length ? html`<select name="level" aria-label="${t.level}">${forecast.map((s) => html`<option value="${s.level}">${s.level} · ${s.name}</option>`)}</select>` : ''}
                  <input name="note" placeholder="${t.note}" maxlength="500">
                  <label class="inline">${t.nextDate}<input type="date" name="nextOn" min="${addDays(today, 1)}"></label>
                  <select name="channel" aria-label="${t.channel}"><option value="">${t.channelStep}</option><option value="email">e-mail</option><option value="letter">${t.letter}</option></select>
                  <label class="inline"><input type="checkbox" name="attachPdf"> PDF</label>`)}
                ${inv.paused || inv.stoppedAt ? action('resume', t.resume) : action('pause', t.pause, html`<input name="reason" placeholder="${t.reason}" required maxlength="500">`)}
                ${forecast.length
                  ? action('manual-reminder', t.manualReminder, html`<select name="level" aria-label="${t.level}">${forecast.map((s) => html`<option value="${s.level}">${s.level} · ${s.name}</option>`)}</select>
                      <input name="note" placeholder="${t.manualNote}" required maxlength="1000">
                      <label class="inline">${t.nextDate}<input type="date" name="nextOn" min="${addDays(today, 1)}"></label>`)
                  : ''}
              </div>`
            : ''}
        </section>
      </div>
      ${totals ? linesCard(totals, money, lang, t) : ''}
      <div class="grid2">${disputeCard(inv, disputes, { csrf, today, lang, t, userName })}${lateChargesCard(inv, charges, notes, { csrf, today, lang, t })}</div>
      <div class="grid2">
        <section class="card"><h2>${t.timeline}</h2>
          ${timeline.length === 0 ? html`<p class="muted">${t.none}</p>` : html`<table><tbody>${timeline.map(
            (e) => html`<tr><td class="nowrap">${formatInstant(e.occurredAt, lang, timezone)}</td><td>${eventText(e, lang)}</td><td class="muted">${e.actor}</td></tr>`,
          )}</tbody></table>`}
          ${letters.length
            ? html`<h3>${t.letter}</h3><table data-testid="letters"><tbody>${letters.map(
                (l) => html`<tr><td>${letterLinks({ id: l.id, filename: l.filename, toPrint: l.status === 'prepared' }, csrf, t)}</td>
                  <td>${action('tracking', t.recordTracking, html`<input type="hidden" name="level" value="${l.level}"><input name="trackingNumber" value="${l.trackingNumber ?? ''}" placeholder="1A 123 456 7890 1" aria-label="${t.trackingNumber}" required maxlength="30" data-testid="tracking-number">`)}</td></tr>`,
              )}</tbody></table>`
            : ''}
          ${action('notes', t.addNote, html`<input name="note" placeholder="${t.note}" required maxlength="1000">`)}
        </section>
        <section class="card"><h2>${t.payments}</h2>
          ${payments.length === 0 ? html`<p class="muted">${t.none}</p>` : html`<table><tbody>${payments.map(
            (p) => html`<tr><td>${formatDate(p.paidOn, lang)}</td><td class="num">${money(p.amountCents)}</td><td>${t.paymentMethods[p.method]}</td><td class="muted">${t.paymentSources[p.source]}</td></tr>`,
          )}</tbody></table>`}
          ${installments.length
            ? html`<h2>${t.installments}</h2><table data-testid="installments"><thead><tr><th>${t.dueDate}</th><th class="num">${t.amount}</th><th class="num">${t.installmentPaid}</th><th class="num">${t.installmentOpen}</th><th>${t.installmentState}</th></tr></thead><tbody>${installments.map(
                (i) => html`<tr class="installment-${i.state}"><td>${formatDate(i.dueDate, lang)}${i.label ? html` <span class="muted">${i.label}</span>` : ''}</td><td class="num">${money(i.amountCents)}</td><td class="num">${money(i.paidCents)}</td><td class="num">${money(i.openCents)}</td><td>${states[i.state]}</td></tr>`,
              )}</tbody></table>`
            : ''}
          ${open
            ? action('payments', t.recordPayment, html`<input name="amount" placeholder="${t.amount}" required inputmode="decimal">
                <input type="date" name="paidOn" value="${today}" required>
                <select name="method">${MANUAL_PAYMENT_METHODS.map((m) => html`<option value="${m}">${t.paymentMethods[m]}</option>`)}</select>`)
            : ''}
        </section>
      </div>`;
}

/** What the invoice sold, line by line, with the VAT of each rate and the totals. */
function linesCard(totals: InvoiceTotals, money: (cents: number) => string, lang: Lang, t: Messages) {
  return html`<section class="card"><h2>${t.invoiceLines}</h2><table data-testid="invoice-lines">
    <thead><tr><th>${t.lineLabel}</th><th class="num">${t.lineQuantity}</th><th class="num">${t.lineUnitPrice}</th><th class="num">${t.lineVatRate}</th><th class="num">${t.lineNet}</th></tr></thead>
    <tbody>${totals.lines.map((l) => html`<tr><td>${l.label}</td><td class="num">${formatQuantity(l.quantityMilli, lang)}</td><td class="num">${money(l.unitPriceCents)}</td><td class="num">${formatVatRate(l.vatRateBp, lang)}</td><td class="num">${money(l.netCents)}</td></tr>`)}</tbody>
    <tfoot><tr><th colspan="4">${t.totalNet}</th><td class="num">${money(totals.netCents)}</td></tr>
      ${totals.vat.map((v) => html`<tr><th colspan="4">${t.lineVatRate} ${formatVatRate(v.rateBp, lang)} ${t.vatOn} ${money(v.baseCents)}</th><td class="num">${money(v.vatCents)}</td></tr>`)}
      <tr><th colspan="4">${t.totalWithVat}</th><td class="num"><strong>${money(totals.totalCents)}</strong></td></tr></tfoot>
  </table></section>`;
}

/** The dispute and promise card of the invoice page: what is open, the forms, and the history. */
function disputeCard(inv: InvoiceSummary, { disputes, promises }: DisputesAndPromises, p: { csrf: string; today: string; lang: Lang; t: Messages; userName: string }) {
  const { t, lang } = p;
  const openNow = disputes.find((d) => d.closedAt === null);
  const pending = promises.find((x) => x.outcome === null);
  const money = (cents: number) => formatMoney(cents, inv.currency, lang);
  const form = (action: DisputeAction, fields: unknown, label: string) =>
    html`<form method="post" action="${sitePath`/invoices/${inv.number}/${action}`}" class="action"><input type="hidden" name="_csrf" value="${p.csrf}">${fields}<button type="submit">${label}</button></form>`;
  const chasing = inv.status === 'open' && inv.totalCents > inv.paidCents;
  return html`<section class="card" id="disputes"><h2>${t.disputesAndPromises}</h2>
    ${openNow
      ? html`<p class="notice" data-testid="dispute-open"><strong>${t.disputed}</strong>: ${openNow.reason} · ${t.owner}: ${openNow.owner || t.unassigned}</p>
          ${openNow.owner ? '' : form('take-dispute', html`<input name="owner" value="${p.userName}" aria-label="${t.owner}" required maxlength="200">`, t.takeDispute)}
          ${form('close-dispute', html`<input name="resolution" placeholder="${t.resolution}" required maxlength="500">`, t.closeDispute)}`
      : chasing
        ? form('dispute', html`<input name="reason" placeholder="${t.reason}" required maxlength="500"><input name="owner" value="${p.userName}" aria-label="${t.owner}" required maxlength="200">`, t.markDisputed)
        : ''}
    ${pending
      ? html`<p class="notice" data-testid="promise-pending"><strong>${t.promiseToPay}</strong>: ${money(pending.amountCents)} · ${formatDate(pending.promisedOn, lang)}</p>
          ${form('withdraw-promise', '', t.withdrawPromise)}`
      : chasing
        ? form('promise', html`<input name="amount" placeholder="${t.amount}" required inputmode="decimal"><input type="date" name="promisedOn" min="${p.today}" value="${p.today}" required aria-label="${t.promisedOn}">`, t.recordPromise)
        : ''}
    ${disputes.length + promises.length > (openNow ? 1 : 0) + (pending ? 1 : 0)
      ? html`<table class="spaced"><tbody>
          ${disputes.filter((d) => d.closedAt).map((d) => html`<tr><td>${t.disputed}</td><td>${d.reason}</td><td class="muted">${d.resolution}</td></tr>`)}
          ${promises.filter((x) => x.outcome).map((x) => html`<tr><td>${t.promiseToPay}</td><td>${money(x.amountCents)} · ${formatDate(x.promisedOn, lang)}</td><td class="muted">${x.outcome ? t.promiseOutcomes[x.outcome] : ''}</td></tr>`)}
        </tbody></table>`
      : ''}
  </section>`;
}

/** What the invoice has accrued today under its policy, the notes issued, and the button to issue one. */
function lateChargesCard(inv: InvoiceSummary, charges: InvoiceCharges | undefined, notes: LateChargeNote[], p: { csrf: string; today: string; lang: Lang; t: Messages }) {
  const { t, lang } = p;
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
