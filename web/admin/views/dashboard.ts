import { html } from 'hono/html';
import type { dashboardFigures, ReminderLine } from '../../../db/queries/dashboard.js';
import type { DisputeToHandle } from '../../../db/queries/disputes.js';
import { sitePath } from '../paths.js';
import { formatInstant, formatMoney } from '../../../services/format.js';
import type { Lang, Messages } from '../../i18n.js';
import { reasonText } from '../../reason-texts.js';
import { agingChart } from './aging-chart.js';

export type DashboardModel = {
  figures: Awaited<ReturnType<typeof dashboardFigures>>;
  sent: ReminderLine[];
  failed: ReminderLine[];
  /** Invoice workflows running, null when the engine did not answer in time. */
  running: number | null;
  /** Disputes customers opened from their page, nobody owns yet. */
  toHandle: DisputeToHandle[];
  timezone: string;
  lang: Lang;
  t: Messages;
};

/** What is owed and how late, what went out, what failed, and what nothing chases. */
export function dashboardView({ figures, sent, failed, running, toHandle, timezone, lang, t }: DashboardModel) {
  // Open invoices, not stopped, beyond the running workflows: left without one (the repair pass starts them).
  const unchased = running === null ? null : Math.max(0, figures.openCount - figures.stoppedCount - running);
  const overdue = figures.overdueByCurrency.length
    ? figures.overdueByCurrency.map((o) => formatMoney(o.balanceCents, o.currency, lang)).join(' + ')
    : formatMoney(0, figures.agingCurrency, lang);
  return html`<h1>${t.dashboard}</h1>
      <div class="cards">
        <div class="card"><h2>${t.amountOverdue}</h2><div class="kpi red" data-testid="amount-overdue">${overdue}</div></div>
        <div class="card"><h2>${t.overdueInvoices}</h2><div class="kpi">${figures.overdueCount}</div></div>
        <div class="card"><h2>${t.openInvoices}</h2><div class="kpi">${figures.openCount}</div></div>
        <div class="card"><h2>${t.notChased}</h2>
          <div class="kpi ${figures.stoppedCount || unchased ? 'red' : ''}" data-testid="not-chased">${figures.stoppedCount + (unchased ?? 0)}</div>
          <div class="muted">${figures.stoppedCount ? html`<a href="/invoices?situation=stopped">${t.stoppedCount(figures.stoppedCount)}</a>` : ''}
            ${unchased === null ? t.workflowCountUnavailable : unchased ? t.withoutWorkflowCount(unchased) : ''}</div></div>
      </div>
      ${toHandle.length
        ? html`<section class="card notice" data-testid="to-handle"><h2>${t.toHandle(toHandle.length)}</h2><table><tbody>${toHandle.map(
            (d) => html`<tr><td><a href="${sitePath`/invoices/${d.invoiceNumber}`}">${d.invoiceNumber}</a></td><td>${d.customerName}</td><td>${d.reason}</td><td class="muted nowrap">${formatInstant(d.openedAt, lang, timezone)}</td></tr>`,
          )}</tbody></table></section>`
        : ''}
      <div class="grid2">
        <section class="card"><h2>${t.aging} (${figures.agingCurrency})</h2>${agingChart(figures.aging, figures.agingCurrency, lang, t)}</section>
        <section class="card"><h2>${t.byLevel}</h2>
          <table><tbody>${figures.byLevel.map(
            (l) => html`<tr><td>${l.level === 0 ? t.noReminderYet : `${l.level} · ${l.stepName}`}</td><td class="num">${t.invoicesCount(l.count)}</td></tr>`,
          )}</tbody></table>
        </section>
      </div>
      <div class="grid2">
        <section class="card"><h2>${t.recentReminders}</h2>${reminderTable(sent, lang, t, timezone, false)}</section>
        <section class="card"><h2>${t.failedSends}</h2>${reminderTable(failed, lang, t, timezone, true)}</section>
      </div>`;
}

function reminderTable(rows: ReminderLine[], lang: Lang, t: Messages, timeZone: string, withReason: boolean) {
  if (rows.length === 0) return html`<p class="muted">${t.none}</p>`;
  return html`<table>
    <thead><tr><th>${t.invoice}</th><th>${t.customer}</th><th>${t.level}</th><th>${withReason ? t.reason : t.date}</th></tr></thead>
    <tbody>${rows.map(
      (r) => html`<tr><td>${r.invoiceNumber}</td><td>${r.customerName}</td><td>${r.level} · ${r.stepName}</td>
        <td>${withReason ? reasonText(r.failureReason ?? '', lang) : formatInstant(r.at, lang, timeZone)}</td></tr>`,
    )}</tbody></table>`;
}
