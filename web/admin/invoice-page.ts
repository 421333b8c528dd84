import type { Context } from 'hono';
import { html } from 'hono/html';
import { formatDate, formatMoney, INSTALLMENT_STATE_NAMES } from '../../services/format.js';
import { timelineOf } from '../../db/queries/events.js';
import { invoiceByNumber } from '../../db/queries/invoices.js';
import { amountsOwed } from '../../workflows/schedule/amounts-owed.js';
import { loadDunningFacts } from '../../db/queries/dunning-facts.js';
import { lettersOfInvoice } from '../../db/queries/documents.js';
import { MANUAL_PAYMENT_METHODS, paymentsOf } from '../../db/queries/payments.js';
import { getSettings } from '../../db/queries/settings.js';
import type { ReminderOutcome } from '../../workflows/messages.js';
import { addDays } from '../../workflows/schedule/calendar-date.js';
import { forecast as forecastSteps } from '../../workflows/schedule/next-action.js';
import { localDate } from '../../workflows/schedule/zoned-time.js';
import type { WebDeps } from '../deps.js';
import { liveDunningState } from '../../services/temporal/dunning-state.js';
import { langOf, messages, type Messages } from '../i18n.js';
import type { AdminEnv } from './env.js';
import { lateChargesCard } from './invoice-charges.js';
import { disputeCard } from './invoice-disputes.js';
import { flashOf, outcomeOnPage, type Flash } from './flash.js';
import { sitePath } from './paths.js';
import { letterLinks } from './views/letter-links.js';

/** An invoice's page: details, schedule, payments, timeline, forecast and its live workflow. */
export async function invoicePage(c: Context<AdminEnv>, deps: WebDeps, flash?: Flash) {
  const lang = langOf(c);
  const t = messages(lang);
  const inv = await invoiceByNumber(deps.sql, c.req.param('number')!);
  if (!inv) return c.render(t.notFound, html`<p class="card">${t.notFound}</p>`, 404);
  const shown = await outcomeOnPage(c, deps.sql, flash, sitePath`/invoices/${inv.number}`);
  if (shown.redirect) return shown.redirect;
  const settings = await getSettings(deps.sql);
  const today = localDate(Date.now(), settings.timezone);
  const [loaded, payments, timeline, live, letters] = await Promise.all([
    loadDunningFacts(deps.sql, [inv.id]).then((m) => m.get(inv.id)),
    paymentsOf(deps.sql, inv.id),
    timelineOf(deps.sql, inv.id),
    liveDunningState(deps, inv.id),
    lettersOfInvoice(deps.sql, inv.id),
  ]);
  const open = inv.status === 'open' && inv.totalCents > inv.paidCents;
  // The same plan the workflow follows: the steps ahead, with the catch-up and one-a-day rules;
  // none once its workflow has closed (cancelled, terminated…): nothing will carry it out. An
  // invoice with no workflow yet keeps its forecast: the repair pass starts one within minutes.
  const workflowDown = live !== null && live !== 'unavailable' && live.runStatus !== 'RUNNING';
  const forecast = open && loaded && !workflowDown ? forecastSteps(loaded.facts, Date.now()) : [];
  const money = (cents: number) => formatMoney(cents, inv.currency, lang);
  // Per installment, what a reminder sent today would call paid, due and to come.
  const owed = loaded ? amountsOwed(loaded.invoice, today) : null;
  const installments = loaded?.invoice.installments.length ? owed!.installments : [];
  const states = INSTALLMENT_STATE_NAMES[lang];
  const when = new Intl.DateTimeFormat(lang === 'en' ? 'en-GB' : 'fr-FR', { dateStyle: 'short', timeStyle: 'short', timeZone: settings.timezone });
  const csrf = c.get('user').csrfToken;
  const [disputes, charges] = await Promise.all([
    disputeCard(deps, inv, { csrf, today, lang, t, userName: c.get('user').name }),
    lateChargesCard(deps, inv, { csrf, today, lang, t }),
  ]);
  const action = (path: string, label: string, fields: unknown = '') =>
    html`<form method="post" action="${sitePath`/invoices/${inv.number}/${path}`}" class="action">
      <input type="hidden" name="_csrf" value="${csrf}">${fields}<button type="submit">${label}</button></form>`;

  return c.render(inv.number, html`<h1>${t.invoice} ${inv.number} <span class="badge">${t.invoiceStatuses[inv.status]}</span>${inv.paused ? html` <span class="badge">${t.paused}</span>` : ''}${inv.stoppedAt ? html` <span class="badge warn" data-testid="stopped">${t.stoppedByOperator}</span>` : ''}</h1>
      ${inv.stoppedAt ? html`<p class="card notice" role="status">${t.stoppedNotice(when.format(inv.stoppedAt))}</p>` : ''}
      ${flashOf(shown.flash)}
      <div class="cards">
        <div class="card"><h2>${t.customer}</h2><div><a href="${sitePath`/customers/${inv.customerRef}`}">${inv.customerName}</a></div></div>
        <div class="card"><h2>${t.amount}</h2><div class="kpi">${money(inv.totalCents)}</div></div>
        <div class="card"><h2>${t.balance}</h2><div class="kpi ${open ? 'red' : ''}" data-testid="balance">${money(inv.totalCents - inv.paidCents)}</div>
          ${open && owed && owed.toComeCents > 0 ? html`<div class="muted" data-testid="balance-split">${t.balanceSplit.replace('{due}', money(owed.dueCents)).replace('{toCome}', money(owed.toComeCents))}</div>` : ''}</div>
        <div class="card"><h2>${t.dueDate}</h2><div class="kpi">${inv.dueDate ? formatDate(inv.dueDate, lang) : ''}</div></div>
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
            ? html`<p><strong>${t.workflowRunStatuses[live.runStatus] ?? live.runStatus}</strong>${live.state ? html` · ${t.dunningStatuses[live.state.status]} · ${t.level} ${live.state.level}${live.state.next ? html` · <span data-testid="workflow-next">${live.state.next.name} ${formatDate(live.state.next.sendDate, lang)}</span>` : ''}${live.state.blockedReason ? html`<div class="failed">⚠ ${live.state.blockedReason}</div>` : ''}` : ''}</p>
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
      <div class="grid2">${disputes}${charges}</div>
      <div class="grid2">
        <section class="card"><h2>${t.timeline}</h2>
          ${timeline.length === 0 ? html`<p class="muted">${t.none}</p>` : html`<table><tbody>${timeline.map(
            (e) => html`<tr><td class="nowrap">${when.format(e.occurredAt)}</td><td>${e.message}</td><td class="muted">${e.actor}</td></tr>`,
          )}</tbody></table>`}
          ${letters.length
            ? html`<p>${t.letter}: ${letters.map((l) => html`${letterLinks({ id: l.id, filename: l.filename, toPrint: l.status === 'prepared' }, csrf, t)} `)}</p>`
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
      </div>`, shown.status);
}

/** The actions of the invoice page; each answers with the page and what happened. */
/**
 * What a "send now" did, said as finance reads it: green only when the reminder went out or its
 * letter is ready; a failure in red with what to do, a skip with its reason.
 */
export function sendNowFlash(outcome: ReminderOutcome, t: Messages): Flash {
  switch (outcome.status) {
    case 'sent':
      return { ok: true, text: t.sendNowSent(outcome.level) };
    case 'prepared':
      return { ok: true, text: t.sendNowPrepared(outcome.level) };
    case 'failed':
      return { ok: false, text: t.sendNowFailed(outcome.level, outcome.reason) };
    case 'skipped':
      return { ok: false, text: t.sendNowSkipped(outcome.level, t.skipReasons[outcome.hold]) };
    case 'refused':
      return { ok: false, text: t.sendNowRefused(outcome.level, outcome.reason) };
  }
}

