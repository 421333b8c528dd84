import { html } from 'hono/html';
import { z } from 'zod';
import { formatDate, formatMoney } from '../../services/format.js';
import { closeDispute, disputesAndPromisesOf, openDispute, recordPromise, settlePromise } from '../../db/queries/disputes.js';
import type { InvoiceSummary } from '../../db/queries/invoices.js';
import { getSettings } from '../../db/queries/settings.js';
import { isIsoDate } from '../../workflows/schedule/calendar-date.js';
import { localDate } from '../../workflows/schedule/zoned-time.js';
import type { WebDeps } from '../deps.js';
import type { Lang, Messages } from '../i18n.js';
import { wakeWorkflows } from '../../services/temporal/wake-workflows.js';
import { centsOf, reasonText } from './form.js';
import { sitePath } from './paths.js';

export const DISPUTE_ACTIONS = ['dispute', 'close-dispute', 'promise', 'withdraw-promise'] as const;
export type DisputeAction = (typeof DISPUTE_ACTIONS)[number];

/**
 * Opens or closes a dispute, records or withdraws a promise to pay; each is written with its
 * timeline entry, then the invoice's workflow is woken to hold or resume.
 */
type ActionOutcome = { ok: true } | { ok: false; field: string; message: string };

/** What the dispute and promise forms post; each route validates its own. */
export const disputeForms = {
  dispute: z.object({
    reason: reasonText,
    owner: z.string().trim().min(1, 'required').max(200, 'at most 200 characters'),
  }),
  closeDispute: z.object({ resolution: reasonText }),
  promise: z.object({
    amount: z.string().transform((v, ctx) => {
      const cents = centsOf(v);
      if (cents === undefined || cents <= 0) ctx.addIssue({ code: 'custom', message: 'an amount above zero such as 250.00' });
      return cents ?? 0;
    }),
    promisedOn: z.string().refine(isIsoDate, 'a date YYYY-MM-DD'),
  }),
  withdrawPromise: z.object({}),
};

type Forms = { [K in keyof typeof disputeForms]: z.infer<(typeof disputeForms)[K]> };

/** A change of dispute or promise is written, then the workflow told; a refusal names the field. */
async function written(deps: WebDeps, inv: InvoiceSummary, result: ActionOutcome): Promise<{ ok: boolean; text?: string }> {
  if (!result.ok) return { ok: false, text: `${result.field}: ${result.message}` };
  await wakeWorkflows(deps, [inv.id]);
  return { ok: true };
}

export const disputeActions = {
  async dispute(deps: WebDeps, inv: InvoiceSummary, form: Forms['dispute'], actor: string) {
    return written(deps, inv, await openDispute(deps.sql, { invoiceId: inv.id, ...form, actor }));
  },
  async closeDispute(deps: WebDeps, inv: InvoiceSummary, form: Forms['closeDispute'], actor: string) {
    return written(deps, inv, await closeDispute(deps.sql, { invoiceId: inv.id, resolution: form.resolution, actor }));
  },
  async promise(deps: WebDeps, inv: InvoiceSummary, form: Forms['promise'], actor: string) {
    const today = localDate(Date.now(), (await getSettings(deps.sql)).timezone);
    if (form.promisedOn < today) return { ok: false, text: `promisedOn: today or later (${today})` };
    return written(deps, inv, await recordPromise(deps.sql, { invoiceId: inv.id, amountCents: form.amount, promisedOn: form.promisedOn, actor }));
  },
  async withdrawPromise(deps: WebDeps, inv: InvoiceSummary, _form: Forms['withdrawPromise'], actor: string) {
    const settled = await settlePromise(deps.sql, { invoiceId: inv.id, outcome: 'withdrawn', actor });
    return written(deps, inv, settled ? { ok: true } : { ok: false, field: 'promise', message: 'no promise is pending' });
  },
};

/** The dispute and promise card of the invoice page: what is open, the forms, and the history. */
export async function disputeCard(deps: WebDeps, inv: InvoiceSummary, p: { csrf: string; today: string; lang: Lang; t: Messages; userName: string }) {
  const { t, lang } = p;
  const { disputes, promises } = await disputesAndPromisesOf(deps.sql, inv.id);
  const openNow = disputes.find((d) => d.closedAt === null);
  const pending = promises.find((x) => x.outcome === null);
  const money = (cents: number) => formatMoney(cents, inv.currency, lang);
  const form = (action: DisputeAction, fields: unknown, label: string) =>
    html`<form method="post" action="${sitePath`/invoices/${inv.number}/${action}`}" class="action"><input type="hidden" name="_csrf" value="${p.csrf}">${fields}<button type="submit">${label}</button></form>`;
  const chasing = inv.status === 'open' && inv.totalCents > inv.paidCents;
  return html`<section class="card" id="disputes"><h2>${t.disputesAndPromises}</h2>
    ${openNow
      ? html`<p class="notice" data-testid="dispute-open"><strong>${t.disputed}</strong>: ${openNow.reason} · ${t.owner}: ${openNow.owner}</p>
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
          ${promises.filter((x) => x.outcome).map((x) => html`<tr><td>${t.promiseToPay}</td><td>${money(x.amountCents)} · ${formatDate(x.promisedOn, lang)}</td><td class="muted">${x.outcome}</td></tr>`)}
        </tbody></table>`
      : ''}
  </section>`;
}
