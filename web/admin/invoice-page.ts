import type { Context } from 'hono';
import { timelineOf } from '../../db/queries/events.js';
import { invoiceByNumber } from '../../db/queries/invoices.js';
import { amountsOwed } from '../../workflows/schedule/amounts-owed.js';
import { loadDunningFacts } from '../../db/queries/dunning-facts.js';
import { lettersOfInvoice } from '../../db/queries/documents.js';
import { paymentsOf } from '../../db/queries/payments.js';
import { getSettings } from '../../db/queries/settings.js';
import type { ReminderOutcome } from '../../workflows/messages.js';
import { forecast as forecastSteps } from '../../workflows/schedule/next-action.js';
import { localDate } from '../../workflows/schedule/zoned-time.js';
import type { WebDeps } from '../deps.js';
import { liveDunningState } from '../../services/temporal/dunning-state.js';
import { langOf, messages, type Lang, type Messages } from '../i18n.js';
import { reasonText } from '../reason-texts.js';
import type { AdminEnv } from './env.js';
import { messageView } from './views/message.js';
import { invoiceView } from './views/invoice.js';
import { disputesAndPromisesOf } from '../../db/queries/disputes.js';
import { lateChargesOf, notesOfInvoice } from '../../db/queries/late-charges.js';
import { linesOf } from '../../db/queries/invoice-lines.js';
import { CUSTOMER_ACTOR } from '../../db/queries/portal.js';
import { invoiceTotals } from '../../workflows/schedule/invoice-lines.js';
import { outcomeOnPage, type Flash } from './flash.js';
import { sitePath } from './paths.js';

/** An invoice's page: details, schedule, payments, timeline, forecast and its live workflow. */
export async function invoicePage(c: Context<AdminEnv>, deps: WebDeps, flash?: Flash) {
  const lang = langOf(c);
  const t = messages(lang);
  const inv = await invoiceByNumber(deps.sql, c.req.param('number')!);
  if (!inv) return c.render(t.notFound, messageView(t.notFound), 404);
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
  const [disputes, charges, notes, lines] = await Promise.all([
    disputesAndPromisesOf(deps.sql, inv.id), lateChargesOf(deps.sql, inv.id, today), notesOfInvoice(deps.sql, inv.id), linesOf(deps.sql, inv.id),
  ]);
  const view = invoiceView({
    inv, today, open, forecast, owed: loaded ? amountsOwed(loaded.invoice, today) : null, withInstallments: Boolean(loaded?.invoice.installments.length),
    payments, timeline: timeline.map((e) => (e.actor === CUSTOMER_ACTOR ? { ...e, actor: t.theCustomer } : e)), live, letters, disputes, charges, notes, totals: lines.length ? invoiceTotals(lines) : null,
    timezone: settings.timezone, csrf: c.get('user').csrfToken, userName: c.get('user').name, flash: shown.flash, lang, t,
  });
  return c.render(inv.number, view, shown.status);
}

/**
 * What a "send now" did, said as finance reads it: green only when the reminder went out or its
 * letter is ready; a failure in red with what to do, a skip with its reason.
 */
export function sendNowFlash(outcome: ReminderOutcome, lang: Lang, t: Messages): Flash {
  switch (outcome.status) {
    case 'sent':
      return { ok: true, text: t.sendNowSent(outcome.level) };
    case 'prepared':
      return { ok: true, text: t.sendNowPrepared(outcome.level) };
    case 'failed':
      return { ok: false, text: t.sendNowFailed(outcome.level, reasonText(outcome.reason, lang)) };
    case 'skipped':
      return { ok: false, text: t.sendNowSkipped(outcome.level, t.skipReasons[outcome.hold]) };
    case 'refused':
      return { ok: false, text: t.sendNowRefused(outcome.level, reasonText(outcome.reason, lang)) };
  }
}

