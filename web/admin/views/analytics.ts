import { html } from 'hono/html';
import type { CustomerBehaviour, LevelEffect } from '../../../db/queries/analytics.js';
import { AGING_BUCKETS, dsoOf, monthEnds, type CollectionSnapshot } from '../../../workflows/schedule/collection-figures.js';
import { formatDate, formatMoney } from '../../../services/format.js';
import type { Lang, Messages } from '../../i18n.js';
import { sitePath } from '../paths.js';
import { lineChart } from './line-chart.js';

export type AnalyticsModel = {
  currency: string;
  snapshots: CollectionSnapshot[];
  effects: LevelEffect[];
  customers: CustomerBehaviour[];
  lang: Lang;
  t: Messages;
};

const AGING_COLOURS: Record<(typeof AGING_BUCKETS)[number], string> = { not_due: '#2563eb', '1-30': '#f59e0b', '31-60': '#ea580c', '61-90': '#dc2626', '>90': '#7f1d1d' };

const percent = (part: number, whole: number) => (whole === 0 ? '' : `${Math.round((part / whole) * 100)} %`);

/** What works: DSO and the overdue amount over twelve months, aging by month, each reminder's effect, each customer's habits. */
export function analyticsView({ currency, snapshots, effects, customers, lang, t }: AnalyticsModel) {
  const money = (cents: number) => formatMoney(cents, currency, lang);
  const day = (d: string) => formatDate(d, lang);
  const months = monthEnds(snapshots);
  const dso = snapshots.flatMap((s) => { const v = dsoOf(s); return v === null ? [] : [{ day: s.day, value: v }]; });
  const maxAging = Math.max(1, ...months.map((m) => AGING_BUCKETS.reduce((sum, b) => sum + m.aging[b], 0)));
  const csv = (table: string) => html`<a href="${sitePath`/analytics/${table}.csv`}" class="button" data-testid="csv-${table}">${t.exportCsv}</a>`;
  return html`<h1>${t.analytics}</h1>
    <p class="muted">${t.analyticsHelp(currency)}</p>
    ${snapshots.length === 0 ? html`<p class="notice" data-testid="no-snapshot">${t.noSnapshotYet}</p>` : ''}
    <div class="grid2">
      <section class="card"><h2>${t.dso}</h2>
        ${lineChart(dso, { label: t.dso, formatValue: (v) => t.daysValue(Math.round(v)), formatDay: day, colour: '#1e3a8a' })}
        <p class="muted">${t.dsoHelp}</p></section>
      <section class="card"><h2>${t.amountOverdue}</h2>
        ${lineChart(snapshots.map((s) => ({ day: s.day, value: s.overdueCents })), { label: t.amountOverdue, formatValue: money, formatDay: day, colour: '#dc2626' })}</section>
    </div>
    <section class="card"><h2>${t.monthByMonth}</h2>
      <table data-testid="months"><thead><tr><th>${t.monthEnd}</th><th class="num">${t.dso}</th><th class="num">${t.receivable}</th><th class="num">${t.amountOverdue}</th><th>${t.aging}</th></tr></thead><tbody>
      ${months.map((m) => {
        const total = AGING_BUCKETS.reduce((sum, b) => sum + m.aging[b], 0);
        const days = dsoOf(m);
        let x = 0;
        return html`<tr><td>${day(m.day)}</td><td class="num">${days === null ? '' : t.daysValue(Math.round(days))}</td><td class="num">${money(m.receivableCents)}</td><td class="num">${money(m.overdueCents)}</td>
          <td><svg role="img" aria-label="${t.aging}" viewBox="0 0 200 14" width="200" height="14">${AGING_BUCKETS.map((b) => {
            const w = (m.aging[b] / maxAging) * 200;
            const bar = html`<rect x="${x}" y="0" width="${w}" height="14" fill="${AGING_COLOURS[b]}"><title>${b === 'not_due' ? t.notDue : `${b} ${t.days}`} · ${money(m.aging[b])} (${percent(m.aging[b], total)})</title></rect>`;
            x += w;
            return bar;
          })}</svg></td></tr>`;
      })}</tbody></table>
      <p class="legend">${AGING_BUCKETS.map((b) => html`<span><i style="background:${AGING_COLOURS[b]}"></i> ${b === 'not_due' ? t.notDue : `${b} ${t.days}`}</span> `)}</p>
      ${csv('months')}
    </section>
    <section class="card"><h2>${t.whichReminderWorks}</h2><p class="muted">${t.whichReminderWorksHelp}</p>
      <table data-testid="effects"><thead><tr><th>${t.level}</th><th>${t.channel}</th><th class="num">${t.sentCount}</th><th class="num">${t.paidWithin(7)}</th><th class="num">${t.paidWithin(15)}</th><th class="num">${t.paidWithin(30)}</th><th class="num">${t.collected30}</th></tr></thead><tbody>
      ${effects.map((e) => html`<tr><td>${e.level} · ${e.stepName}</td><td>${t.channels[e.channel]}</td><td class="num">${e.sent}</td>
        <td class="num">${e.paidWithin7} <span class="muted">${percent(e.paidWithin7, e.sent)}</span></td><td class="num">${e.paidWithin15} <span class="muted">${percent(e.paidWithin15, e.sent)}</span></td>
        <td class="num">${e.paidWithin30} <span class="muted">${percent(e.paidWithin30, e.sent)}</span></td><td class="num">${formatMoney(e.collected30Cents, e.currency, lang)}</td></tr>`)}
      </tbody></table>${csv('reminders')}
    </section>
    <section class="card"><h2>${t.customerHabits}</h2>
      <table data-testid="customers"><thead><tr><th>${t.customer}</th><th class="num">${t.amountOverdue}</th><th class="num">${t.averageDaysLate}</th><th class="num">${t.paidInvoices}</th><th class="num">${t.promisesKeptBroken}</th><th class="num">${t.disputesCount}</th></tr></thead><tbody>
      ${customers.map((c) => html`<tr><td><a href="${sitePath`/customers/${c.ref}`}">${c.name}</a></td><td class="num">${formatMoney(c.overdueCents, c.currency, lang)}</td>
        <td class="num">${c.averageDaysLate === null ? '' : t.daysValue(c.averageDaysLate)}</td><td class="num">${c.paidInvoices}</td><td class="num">${c.promisesKept} / ${c.promisesBroken}</td><td class="num">${c.disputes}</td></tr>`)}
      </tbody></table>${csv('customers')}
    </section>`;
}
