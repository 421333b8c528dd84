import { html } from 'hono/html';
import type { passOn, PassItem } from '../../../db/queries/review.js';
import { formatDate, formatMoney } from '../../../services/format.js';
import { addDays } from '../../../workflows/schedule/calendar-date.js';
import type { Lang, Messages } from '../../i18n.js';
import type { Flash } from '../env.js';
import { flashOf } from './flash.js';
import { sitePath } from '../paths.js';

export type ReviewModel = { items: PassItem[]; pass: Awaited<ReturnType<typeof passOn>>; passDate: string; today: string; csrf: string; flash?: Flash; lang: Lang; t: Messages };

/** Per level and channel: how many reminders and how much they chase, largest first. */
function summaryOf(items: PassItem[]) {
  const groups = new Map<string, { level: number; stepName: string; channel: PassItem['channel']; count: number; cents: number }>();
  for (const i of items) {
    const key = `${i.level}/${i.channel}`;
    const g = groups.get(key) ?? { level: i.level, stepName: i.stepName, channel: i.channel, count: 0, cents: 0 };
    g.count++;
    g.cents += i.amountCents;
    groups.set(key, g);
  }
  return [...groups.values()].sort((a, b) => a.level - b.level || a.channel.localeCompare(b.channel));
}

function stateOf(i: PassItem, approved: boolean, t: Messages) {
  if (!i.needsApproval) return html`<span class="badge">${t.automatic}</span>`;
  if (i.held) return html`<span class="badge warn">${t.held}</span>`;
  return approved ? html`<span class="badge ok">${t.approved}</span>` : html`<span class="badge">${t.awaitingApproval}</span>`;
}

function itemRow(i: PassItem, passDate: string, approved: boolean, csrf: string, lang: Lang, t: Messages) {
  return html`<tr data-invoice="${i.number}"><td><a href="${sitePath`/customers/${i.customerRef}`}">${i.customerName}</a></td>
    <td><a href="${sitePath`/invoices/${i.number}`}">${i.number}</a></td><td>${i.level} · ${i.stepName}</td><td>${t.channels[i.channel]}</td>
    <td>${formatDate(i.sendDate, lang)}</td><td class="num">${formatMoney(i.amountCents, i.currency, lang)}</td><td>${stateOf(i, approved, t)}</td>
    <td>${i.needsApproval
      ? html`<form method="post" action="${sitePath`/review/${passDate}/hold`}" class="inline"><input type="hidden" name="_csrf" value="${csrf}">
          <input type="hidden" name="invoice" value="${i.invoiceId}"><input type="hidden" name="held" value="${i.held ? 'off' : 'on'}">
          <button type="submit">${i.held ? t.release : t.hold}</button></form>`
      : ''}</td></tr>`;
}

/** A day's pass: what falls due, summed per level and channel, to approve, or hold invoice by invoice. */
export function reviewView({ items, pass, passDate, today, csrf, flash, lang, t }: ReviewModel) {
  const approved = pass?.status === 'approved';
  const summary = summaryOf(items);
  const widest = Math.max(1, ...summary.map((g) => g.cents));
  const money = (cents: number) => formatMoney(cents, 'EUR', lang);
  const gated = items.filter((i) => i.needsApproval);
  return html`<h1>${t.reviewOf(formatDate(passDate, lang))}</h1>${flashOf(flash)}
      <form method="get" action="/review" class="card filters">
        <a href="${sitePath`/review?date=${today}`}">${t.today}</a> · <a href="${sitePath`/review?date=${addDays(today, 1)}`}">${t.tomorrow}</a>
        <label>${t.date}<input type="date" name="date" value="${passDate}"></label><button type="submit">${t.filter}</button>
      </form>
      ${items.length === 0
        ? html`<p class="card muted">${t.reviewEmpty}</p>`
        : html`<section class="card"><h2>${t.summary}</h2>
          <table data-testid="review-summary"><thead><tr><th>${t.level}</th><th>${t.channel}</th><th class="num">${t.invoices}</th><th class="num">${t.amount}</th><th></th></tr></thead>
          <tbody>${summary.map((g) => html`<tr><td>${g.level} · ${g.stepName}</td><td>${t.channels[g.channel]}</td><td class="num">${g.count}</td><td class="num">${money(g.cents)}</td>
            <td class="bar-cell"><svg viewBox="0 0 100 8" preserveAspectRatio="none" class="bar" aria-hidden="true"><rect width="${Math.max(1, Math.round((g.cents / widest) * 100))}" height="8" rx="1"/></svg></td></tr>`)}
          <tr><th colspan="2">${t.total}</th><th class="num">${items.length}</th><th class="num">${money(items.reduce((s, i) => s + i.amountCents, 0))}</th><th></th></tr></tbody></table>
          ${gated.length
            ? html`<form method="post" action="${sitePath`/review/${passDate}/approve`}" class="action">
                <input type="hidden" name="_csrf" value="${csrf}">
                ${approved ? html`<span class="badge ok" data-testid="review-approved">${t.approved}</span> <span class="muted">${t.reviewApprovedBy(pass!.approvedBy ?? '')}</span>` : ''}
                <button type="submit" class="primary">${t.approvePass} (${gated.filter((i) => !i.held).length})</button></form>`
            : ''}
        </section>
        <section class="card"><table><thead><tr><th>${t.customer}</th><th>${t.invoice}</th><th>${t.level}</th><th>${t.channel}</th><th>${t.date}</th><th class="num">${t.amount}</th><th>${t.status}</th><th></th></tr></thead>
          <tbody>${items.map((i) => itemRow(i, passDate, approved, csrf, lang, t))}</tbody></table></section>`}`;
}
