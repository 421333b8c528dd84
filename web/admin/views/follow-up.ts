import { html } from 'hono/html';
import type { DeliveryStatus } from '../../../db/queries/delivery.js';
import type { LoadedFacts } from '../../../db/queries/dunning-facts.js';
import type { FollowUpRow } from '../../../db/queries/follow-up-list.js';
import type { CompanySettings } from '../../../db/queries/settings.js';
import { formatDate, formatMoney } from '../../../services/format.js';
import { dueStepOf, nextAction } from '../../../workflows/schedule/next-action.js';
import { daysLate, rowColour } from '../../../workflows/schedule/row-colour.js';
import { localDate } from '../../../workflows/schedule/zoned-time.js';
import type { Lang, Messages } from '../../i18n.js';
import { reasonText } from '../../reason-texts.js';
import type { Filter } from '../follow-up-filter.js';
import { sitePath } from '../paths.js';
import type { PageBody } from '../env.js';

export type FollowUpResultsModel = {
  rows: FollowUpRow[];
  total: number;
  more: boolean;
  planned: Map<number, LoadedFacts>;
  settings: CompanySettings;
  today: string;
  now: number;
  pageSize: number;
  filter: Filter;
  /** Names the run the form would start, so a second click starts no second run. */
  runKey: string;
  csrf: string;
  lang: Lang;
  t: Messages;
};

/** The mass follow-up (source 000): filters, coloured rows, next action; htmx swaps only the results. */
export function followUpView({ filter, raw, results, t }: { filter: Filter; raw: Record<string, string>; results: PageBody; t: Messages }) {
  return html`<h1>${t.followUp}</h1>${filterForm(filter, raw, t)}<div id="results">${results}</div>`;
}

export function followUpErrorsView(errors: { field: string; message: string }[], t: Messages) {
  return html`<p class="error" role="alert">${t.invalidFilter}: ${errors.map((e) => `${e.field} (${e.message})`).join(', ')}</p>`;
}

function filterForm(f: Filter, raw: Record<string, string>, t: Messages) {
  const opt = (value: string, label: string, current: string) => html`<option value="${value}" ${value === current ? 'selected' : ''}>${label}</option>`;
  return html`<form class="card filters" method="get" action="/invoices" hx-get="/invoices" hx-target="#results" hx-push-url="true"
      hx-trigger="change, keyup changed delay:300ms from:input[type=search], submit">
    <label>${t.dueFrom} <input type="date" name="dueFrom" value="${raw.dueFrom ?? ''}"></label>
    <label>${t.dueTo} <input type="date" name="dueTo" value="${raw.dueTo ?? ''}"></label>
    <label>${t.customer} <input type="text" name="customer" value="${f.customer ?? ''}" size="14"></label>
    <label>${t.lastLevel} <select name="level">${opt('', t.anyLevel, String(f.level ?? ''))}${[0, 1, 2, 3, 4].map((l) => opt(String(l), String(l), String(f.level ?? '')))}</select></label>
    <label>${t.status} <select name="status">${opt('open', t.statusOpen, f.status)}${opt('paid', t.statusPaid, f.status)}${opt('cancelled', t.statusCancelled, f.status)}${opt('all', t.statusAll, f.status)}</select></label>
    <label>${t.situation} <select name="situation">${opt('', t.anySituation, f.situation ?? '')}${opt('disputed', t.disputed, f.situation ?? '')}${opt('promised', t.promiseToPay, f.situation ?? '')}${opt('stopped', t.stoppedByOperator, f.situation ?? '')}</select></label>
    <label class="inline"><input type="checkbox" name="balanceOnly" ${f.balanceOnly ? 'checked' : ''}> ${t.balanceOnly}</label>
    <label class="grow">${t.search} <input type="search" name="q" value="${f.q ?? ''}"></label>
    <input type="hidden" name="sort" value="${f.sort}"><input type="hidden" name="dir" value="${f.dir}">
    <button type="submit">${t.filter}</button>
  </form>`;
}

function queryString(f: Filter, changes: Partial<Filter>): string {
  const merged = { ...f, ...changes };
  const params = new URLSearchParams();
  for (const [k, v] of Object.entries(merged)) {
    if (v === undefined || v === '' || v === false) continue;
    params.set(k, v === true ? '1' : String(v));
  }
  return `/invoices?${params.toString()}`;
}

/** The selected page of invoices, each row coloured and with its next action from the workflow's own planner, on the same facts. */
export function followUpResultsView(m: FollowUpResultsModel) {
  const { rows, total, more, planned, settings, today, now, pageSize, filter: f, runKey, csrf, lang, t } = m;
  const pages = Math.max(1, Math.ceil(total / pageSize));
  const link = (changes: Partial<Filter>, label: string, cls = '') =>
    html`<a class="${cls}" href="${queryString(f, changes)}" hx-get="${queryString(f, changes)}" hx-target="#results" hx-push-url="true">${label}</a>`;
  const sortHeader = (key: Filter['sort'], label: string, cls = '') => {
    const dir = f.sort === key && f.dir === 'asc' ? 'desc' : 'asc';
    const arrow = f.sort === key ? (f.dir === 'asc' ? ' ▲' : ' ▼') : '';
    return html`<th class="${cls}">${link({ sort: key, dir, page: 1 }, label + arrow)}</th>`;
  };
  if (rows.length === 0) return html`<p class="card muted">${t.noResult}</p>`;
  const levels = [...new Map([...planned.values()].flatMap((p) => p.steps).map((s) => [s.level, s.name])).entries()].sort((a, b) => a[0] - b[0]);
  return html`<form id="selection" class="card" method="post" action="/runs">
    <input type="hidden" name="_csrf" value="${csrf}"><input type="hidden" name="runKey" value="${runKey}">
    <div class="toolbar">
      ${link({ check: 'all' }, t.selectAll)} · ${link({ check: 'none' }, t.selectNone)} · ${link({ check: 'due' }, t.selectDue)}
      ${total > rows.length ? html` · <label class="inline" data-testid="all-matching"><input type="checkbox" name="allMatching" value="1"> ${t.selectAllMatching(total, more)}</label>
        <input type="hidden" name="filter" value="${queryString(f, { page: 1 }).replace('/invoices?', '')}">` : ''}
      · ${t.exportCsv} ${(['fr', 'standard'] as const).map((style, i) => html`${i ? ' · ' : ''}<a href="${queryString(f, { page: 1, check: 'due' }).replace('/invoices?', '/invoices.csv?')}&amp;style=${style}" data-testid="export-csv-${style}" hx-boost="false">${style === 'fr' ? t.csvForSpreadsheet : t.csvStandard}</a>`)}
      <span class="muted right">${t.pageOf(f.page, pages, total, more)}</span>
    </div>
    <table class="follow-up">
      <thead><tr><th></th>${sortHeader('number', t.invoice)}${sortHeader('customer', t.customer)}<th class="num">${t.amount}</th>${sortHeader('balance', t.balance, 'num')}${sortHeader('due', t.dueDate)}<th class="num">${t.daysLate}</th><th>${t.lastReminder}</th><th>${t.nextAction}</th><th>${t.channel}</th></tr></thead>
      <tbody>${rows.map((r) => row(r, f.check, planned.get(r.id), now, settings, today, lang, t))}</tbody>
    </table>
    <fieldset class="run-options">
      <legend>${t.runSelection}</legend>
      <label>${t.runLevel} <select name="level"><option value="">${t.computedLevel}</option><option value="next">${t.nextLevelNow}</option>${levels.map(([level, name]) => html`<option value="${level}">${level} · ${name}</option>`)}</select></label>
      <label>${t.runChannel} <select name="channel"><option value="step">${t.channelStep}</option><option value="email">${t.channelEmail}</option><option value="letter">${t.channelLetter}</option></select></label>
      <label class="inline"><input type="checkbox" name="attachPdf"> ${t.attachPdf}</label>
      <button type="submit" class="primary">${t.startRun}</button>
    </fieldset>
    <div class="toolbar">
      ${f.page > 1 ? link({ page: f.page - 1 }, `← ${t.previous}`) : ''}
      ${f.page < pages || (more && rows.length === pageSize) ? link({ page: f.page + 1 }, `${t.next} →`, 'right') : ''}
    </div>
  </form>`;
}

function row(r: FollowUpRow, check: Filter['check'], planned: LoadedFacts | undefined, now: number, settings: CompanySettings, today: string, lang: Lang, t: Messages) {
  const balance = r.totalCents - r.paidCents;
  const open = r.status === 'open' && balance > 0;
  // Colour and days late follow the first unpaid installment, as the workflow does.
  const dueDate = planned?.facts.dueDate ?? r.dueDate;
  const colour = open ? rowColour(dueDate, today, settings.dueSoonDays) : 'closed';
  const action = open && planned ? nextAction(planned.facts, now) : undefined;
  const dueNow = action ? dueStepOf(action) : null;
  const checked = check === 'all' || (check === 'due' && dueNow !== null);
  const next = dueNow ?? (action?.kind === 'wait' ? action.step : null);
  const lastDate = r.lastRemindedAt ? localDate(r.lastRemindedAt.getTime(), settings.timezone) : null;
  const lastStep = planned?.steps.find((s) => s.level === r.lastLevel);
  return html`<tr class="row-${colour}" data-invoice="${r.number}">
    <td><input type="checkbox" name="invoice" value="${r.id}" aria-label="${r.number}" ${checked ? 'checked' : ''}></td>
    <td><a href="${sitePath`/invoices/${r.number}`}">${r.number}</a></td>
    <td><a href="${sitePath`/customers/${r.customerRef}`}">${r.customerName}</a>${r.hasEmail ? '' : html` <span class="badge warn" title="${t.noEmail}">✉ ${t.noEmailShort}</span>`}</td>
    <td class="num">${formatMoney(r.totalCents, r.currency, lang)}</td>
    <td class="num">${formatMoney(balance, r.currency, lang)}</td>
    <td>${formatDate(r.dueDate, lang)}</td>
    <td class="num">${open ? daysLate(dueDate, today) : ''}</td>
    <td>${lastDate ? html`${formatDate(lastDate, lang)} · ${r.lastLevel} ${lastStep?.name ?? ''}${r.lastNote ? html`<div class="muted">${r.lastNote}</div>` : ''}` : ''}
      ${r.lastFailure ? html`<div class="failed">⚠ ${reasonText(r.lastFailure, lang)}</div>` : ''}
      ${r.lastDelivery && ['bounced', 'complained', 'failed', 'suppressed'].includes(r.lastDelivery) ? html`<div class="failed" data-testid="delivery">⚠ ${t.deliveryStatuses[r.lastDelivery as DeliveryStatus]}</div>` : ''}</td>
    <td>${r.stopped ? html`<span class="badge warn" data-testid="situation">${t.stoppedByOperator}</span>` : r.disputed ? html`<span class="badge warn" data-testid="situation">${t.disputed}</span>` : r.promisedOn ? html`<span class="badge" data-testid="situation">${t.promiseToPay} · ${formatDate(r.promisedOn, lang)}</span>` : r.paused ? html`<span class="badge">${t.paused}</span>` : next ? html`<span data-testid="next-action" class="${dueNow ? 'due' : ''}">${next.name} · ${dueNow ? t.dueToday : formatDate(next.sendDate, lang)}</span>` : open ? t.ended : ''}</td>
    <td>${open ? html`<select name="channel-${r.id}" aria-label="${t.channel} ${r.number}"><option value="">${t.channelOfRun}</option><option value="email">e-mail</option><option value="letter">${t.letter}</option></select>` : ''}</td>
  </tr>`;
}
