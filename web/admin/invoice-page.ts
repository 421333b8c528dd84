import type { Context } from 'hono';
import { html } from 'hono/html';
import { z } from 'zod';
import { formatDate, formatMoney, INSTALLMENT_STATE_NAMES } from '../../services/format.js';
import { insertEvent, timelineOf } from '../../db/queries/events.js';
import { invoiceByNumber, liftOperatorStop, type InvoiceSummary } from '../../db/queries/invoices.js';
import { startOrWakeDunning } from '../../services/temporal/dunning-client.js';
import { amountsOwed } from '../../workflows/schedule/amounts-owed.js';
import { loadDunningFacts } from '../../db/queries/dunning-facts.js';
import { lettersOfInvoice } from '../../db/queries/documents.js';
import { MANUAL_PAYMENT_METHODS, paymentsOf } from '../../db/queries/payments.js';
import { getSettings } from '../../db/queries/settings.js';
import { pauseUpdate, resumeUpdate, sendNowUpdate, type ReminderOutcome } from '../../workflows/messages.js';
import { addDays, isIsoDate } from '../../workflows/schedule/calendar-date.js';
import { forecast as forecastSteps } from '../../workflows/schedule/next-action.js';
import { localDate } from '../../workflows/schedule/zoned-time.js';
import type { WebDeps } from '../deps.js';
import { liveDunningState } from '../../services/temporal/dunning-state.js';
import { langOf, messages, type Messages } from '../i18n.js';
import { askWorkflow, recordManualReminderAndWake, recordPaymentAndWake } from '../invoice-actions.js';
import type { AdminEnv } from './env.js';
import { issueLateChargeNote, lateChargesCard } from './invoice-charges.js';
import { DISPUTE_ACTIONS, disputeAction, disputeCard, type DisputeAction } from './invoice-disputes.js';
import { flashOf, type Flash } from './layout.js';
import { sitePath } from './paths.js';
import { letterLinks } from './letter-downloads.js';

const paymentForm = z.object({
  amount: z.string().regex(/^\d{1,12}([.,]\d{1,2})?$/, 'a positive amount such as 1250.00'),
  paidOn: z.string().refine(isIsoDate, 'a date YYYY-MM-DD'),
  method: z.enum(MANUAL_PAYMENT_METHODS),
});

const isDisputeAction = (name: string): name is DisputeAction => (DISPUTE_ACTIONS as readonly string[]).includes(name);

/** An invoice's page: details, schedule, payments, timeline, forecast and its live workflow. */
export async function invoicePage(c: Context<AdminEnv>, deps: WebDeps, flash?: Flash) {
  const lang = langOf(c);
  const t = messages(lang);
  const inv = await invoiceByNumber(deps.sql, c.req.param('number')!);
  if (!inv) return c.render(t.notFound, html`<p class="card">${t.notFound}</p>`, 404);
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

  return c.render(inv.number, html`<h1>${t.invoice} ${inv.number} <span class="badge">${inv.status}</span>${inv.paused ? html` <span class="badge">${t.paused}</span>` : ''}${inv.stoppedAt ? html` <span class="badge warn" data-testid="stopped">${t.stoppedByOperator}</span>` : ''}</h1>
      ${inv.stoppedAt ? html`<p class="card notice" role="status">${t.stoppedNotice(when.format(inv.stoppedAt))}</p>` : ''}
      ${flashOf(flash)}
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
            ? html`<p><strong>${live.runStatus}</strong>${live.state ? html` · ${live.state.status} · ${t.level} ${live.state.level}${live.state.next ? html` · <span data-testid="workflow-next">${live.state.next.name} ${formatDate(live.state.next.sendDate, lang)}</span>` : ''}${live.state.blockedReason ? html`<div class="failed">⚠ ${live.state.blockedReason}</div>` : ''}` : ''}</p>
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
            (p) => html`<tr><td>${formatDate(p.paidOn, lang)}</td><td class="num">${money(p.amountCents)}</td><td>${p.method}</td><td class="muted">${p.source}</td></tr>`,
          )}</tbody></table>`}
          ${installments.length
            ? html`<h2>${t.installments}</h2><table data-testid="installments"><thead><tr><th>${t.dueDate}</th><th class="num">${t.amount}</th><th class="num">${t.installmentPaid}</th><th class="num">${t.installmentOpen}</th><th>${t.installmentState}</th></tr></thead><tbody>${installments.map(
                (i) => html`<tr class="installment-${i.state}"><td>${formatDate(i.dueDate, lang)}${i.label ? html` <span class="muted">${i.label}</span>` : ''}</td><td class="num">${money(i.amountCents)}</td><td class="num">${money(i.paidCents)}</td><td class="num">${money(i.openCents)}</td><td>${states[i.state]}</td></tr>`,
              )}</tbody></table>`
            : ''}
          ${open
            ? action('payments', t.recordPayment, html`<input name="amount" placeholder="${t.amount}" required inputmode="decimal">
                <input type="date" name="paidOn" value="${today}" required>
                <select name="method">${MANUAL_PAYMENT_METHODS.map((m) => html`<option value="${m}">${m}</option>`)}</select>`)
            : ''}
        </section>
      </div>`);
}

/** The actions of the invoice page; each answers with the page and what happened. */
export async function invoiceAction(c: Context<AdminEnv>, deps: WebDeps) {
  const t = messages(langOf(c));
  const inv = await invoiceByNumber(deps.sql, c.req.param('number')!);
  if (!inv) return invoicePage(c, deps);
  const form = await c.req.parseBody();
  const actor = c.get('user').email;
  const text = (name: string) => String(form[name] ?? '').trim();
  const name = c.req.param('action')!;
  const outcome = isDisputeAction(name)
    ? await disputeAction(name, inv, deps, actor, Object.fromEntries(Object.entries(form).map(([k, v]) => [k, String(v)])))
    : name === 'late-charges'
      ? await issueLateChargeNote(deps, inv, localDate(Date.now(), (await getSettings(deps.sql)).timezone), actor)
      : await perform(name, inv, deps, { email: actor, id: c.get('user').id }, text, t);
  if ('flash' in outcome) return invoicePage(c, deps, outcome.flash);
  return invoicePage(c, deps, outcome.ok ? { ok: true, text: outcome.text || t.done } : { ok: false, text: `${t.refused}: ${outcome.text}` });
}

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

async function perform(
  name: string,
  inv: InvoiceSummary,
  deps: WebDeps,
  user: { email: string; id: number },
  text: (field: string) => string,
  t: Messages,
): Promise<{ ok: boolean; text?: string } | { flash: Flash }> {
  const { email: actor, id: userId } = user;
  const answer = (a: { ok: true; value: unknown } | { ok: false; message: string }, describe: (v: never) => string) =>
    a.ok ? { ok: true, text: describe(a.value as never) } : { ok: false, text: a.message };
  switch (name) {
    case 'send-now': {
      const asked = await askWorkflow(deps, inv.id, (h) =>
          h.executeUpdate(sendNowUpdate, {
            args: [{
              actor, userId, note: text('note') || undefined, attachPdf: text('attachPdf') === 'on' || undefined,
              ...(Number(text('level')) > 0 ? { level: Number(text('level')) } : {}),
              ...(isIsoDate(text('nextOn')) ? { nextPlannedOn: text('nextOn') } : {}),
              ...(text('channel') === 'email' || text('channel') === 'letter' ? { channel: text('channel') as 'email' | 'letter' } : {}),
            }],
          }),
      );
      return asked.ok ? { flash: sendNowFlash(asked.value, t) } : { ok: false, text: asked.message };
    }
    case 'pause':
      if (!text('reason')) return { ok: false, text: 'reason: required' };
      return answer(await askWorkflow(deps, inv.id, (h) => h.executeUpdate(pauseUpdate, { args: [{ reason: text('reason'), actor }] })), () => '');
    case 'resume':
      // An operator's stop is lifted here only: the workflow starts again and plans from the invoice's facts.
      if (await liftOperatorStop(deps.sql, inv.id, actor)) {
        await startOrWakeDunning(deps.temporal, deps.taskQueue, { id: inv.id, number: inv.number, customerRef: inv.customerRef });
        return { ok: true };
      }
      return answer(await askWorkflow(deps, inv.id, (h) => h.executeUpdate(resumeUpdate, { args: [{ actor }] })), () => '');
    case 'manual-reminder':
      return manualReminder(inv, deps, actor, text);
    case 'notes':
      if (!text('note')) return { ok: false, text: 'note: required' };
      await insertEvent(deps.sql, { invoiceId: inv.id, kind: 'note', message: text('note').slice(0, 1000), actor });
      return { ok: true };
    case 'payments': {
      const parsed = paymentForm.safeParse({ amount: text('amount'), paidOn: text('paidOn'), method: text('method') });
      if (!parsed.success) return { ok: false, text: parsed.error.issues.map((i) => `${String(i.path[0])}: ${i.message}`).join(', ') };
      const amountCents = Math.round(Number(parsed.data.amount.replace(',', '.')) * 100);
      if (amountCents <= 0) return { ok: false, text: 'amount: must be above zero' };
      await recordPaymentAndWake(deps, {
        invoiceId: inv.id, amountCents, currency: inv.currency, paidOn: parsed.data.paidOn, method: parsed.data.method,
        source: 'manual', externalId: null, actor,
      });
      return { ok: true };
    }
    default:
      return { ok: false, text: `unknown action ${name}` };
  }
}

/** A reminder made by hand at a later level (source 003): the note, and optionally the next reminder's date. */
async function manualReminder(inv: InvoiceSummary, deps: WebDeps, actor: string, text: (field: string) => string): Promise<{ ok: boolean; text?: string }> {
  const [loaded, settings] = await Promise.all([loadDunningFacts(deps.sql, [inv.id]).then((m) => m.get(inv.id)), getSettings(deps.sql)]);
  const steps = loaded?.steps ?? [];
  const lastLevel = loaded?.facts.progress.level ?? 0;
  const step = steps.find((s) => s.level === Number(text('level')));
  if (!step || step.level <= lastLevel) return { ok: false, text: `level: one of the steps after level ${lastLevel}` };
  if (!text('note')) return { ok: false, text: 'note: required' };
  const nextOn = text('nextOn') || null;
  // After the last step nothing is planned: a next date would be silently ignored, so it is refused.
  if (nextOn !== null && step.level === steps.at(-1)!.level) return { ok: false, text: `nextOn: ${step.name} is the last step, nothing follows it; leave the date empty` };
  if (nextOn !== null && (!isIsoDate(nextOn) || nextOn <= localDate(Date.now(), settings.timezone))) return { ok: false, text: 'nextOn: a date after today, YYYY-MM-DD' };
  const recorded = await recordManualReminderAndWake(deps, { invoiceId: inv.id, step, note: text('note').slice(0, 1000), nextPlannedOn: nextOn, actor });
  return recorded ? { ok: true } : { ok: false, text: `level: ${step.name} was already sent or is being sent` };
}
