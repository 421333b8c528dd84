import { z } from 'zod';
import { assignDispute, closeDispute, openDispute, recordPromise, settlePromise } from '../../db/queries/disputes.js';
import type { InvoiceSummary } from '../../db/queries/invoices.js';
import { getSettings } from '../../db/queries/settings.js';
import { isIsoDate } from '../../workflows/schedule/calendar-date.js';
import { localDate } from '../../workflows/schedule/zoned-time.js';
import type { WebDeps } from '../deps.js';
import { wakeWorkflows } from '../../services/temporal/wake-workflows.js';
import { centsOf, reasonText } from './form.js';
import type { Outcome } from './flash.js';

export const DISPUTE_ACTIONS = ['dispute', 'take-dispute', 'close-dispute', 'promise', 'withdraw-promise'] as const;
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
  takeDispute: z.object({ owner: z.string().trim().min(1, 'required').max(200, 'at most 200 characters') }),
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
async function written(deps: WebDeps, inv: InvoiceSummary, result: ActionOutcome): Promise<Outcome> {
  if (!result.ok) return { ok: false, field: result.field, text: result.message };
  await wakeWorkflows(deps, [inv.id]);
  return { ok: true };
}

export const disputeActions = {
  async dispute(deps: WebDeps, inv: InvoiceSummary, form: Forms['dispute'], actor: string) {
    return written(deps, inv, await openDispute(deps.sql, { invoiceId: inv.id, ...form, actor }));
  },
  async takeDispute(deps: WebDeps, inv: InvoiceSummary, form: Forms['takeDispute'], actor: string) {
    return written(deps, inv, await assignDispute(deps.sql, { invoiceId: inv.id, owner: form.owner, actor }));
  },
  async closeDispute(deps: WebDeps, inv: InvoiceSummary, form: Forms['closeDispute'], actor: string) {
    return written(deps, inv, await closeDispute(deps.sql, { invoiceId: inv.id, resolution: form.resolution, actor }));
  },
  async promise(deps: WebDeps, inv: InvoiceSummary, form: Forms['promise'], actor: string) {
    const today = localDate(Date.now(), (await getSettings(deps.sql)).timezone);
    if (form.promisedOn < today) return { ok: false as const, field: 'promisedOn', text: `today or later (${today})` };
    return written(deps, inv, await recordPromise(deps.sql, { invoiceId: inv.id, amountCents: form.amount, promisedOn: form.promisedOn, actor }));
  },
  async withdrawPromise(deps: WebDeps, inv: InvoiceSummary, _form: Forms['withdrawPromise'], actor: string) {
    const settled = await settlePromise(deps.sql, { invoiceId: inv.id, outcome: 'withdrawn', actor });
    return written(deps, inv, settled ? { ok: true } : { ok: false, field: 'promise', message: 'no promise is pending' });
  },
};

