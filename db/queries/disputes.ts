import type { Sql } from '../client.js';
import { insertEvent } from './events.js';

export interface Dispute {
  id: number;
  reason: string;
  owner: string;
  openedBy: string;
  openedAt: Date;
  closedAt: Date | null;
  closedBy: string | null;
  resolution: string | null;
}

export interface PaymentPromise {
  id: number;
  amountCents: number;
  promisedOn: string;
  balanceCents: number;
  recordedBy: string;
  recordedAt: Date;
  outcome: 'kept' | 'broken' | 'withdrawn' | null;
  settledAt: Date | null;
}

/** The invoice's disputes and promises, newest first, for its page. */
export async function disputesAndPromisesOf(sql: Sql, invoiceId: number): Promise<{ disputes: Dispute[]; promises: PaymentPromise[] }> {
  const [disputes, promises] = await Promise.all([
    sql<Dispute[]>`select id, reason, owner, opened_by as "openedBy", opened_at as "openedAt", closed_at as "closedAt", closed_by as "closedBy", resolution
      from disputes where invoice_id = ${invoiceId} order by id desc`,
    sql<PaymentPromise[]>`select id, amount_cents as "amountCents", promised_on as "promisedOn", balance_cents as "balanceCents", recorded_by as "recordedBy",
      recorded_at as "recordedAt", outcome, settled_at as "settledAt" from payment_promises where invoice_id = ${invoiceId} order by id desc`,
  ]);
  return { disputes, promises };
}

type Refusal = { ok: false; field: string; message: string };

/** Opens a dispute with its timeline entry; refused while another one is open. */
export async function openDispute(sql: Sql, d: { invoiceId: number; reason: string; owner: string; actor: string }): Promise<{ ok: true } | Refusal> {
  return sql.begin(async (tx) => {
    const [opened] = await tx`insert into disputes (invoice_id, reason, owner, opened_by) values (${d.invoiceId}, ${d.reason}, ${d.owner}, ${d.actor})
      on conflict (invoice_id) where closed_at is null do nothing returning id`;
    if (!opened) return { ok: false as const, field: 'reason', message: 'a dispute is already open on this invoice' };
    await insertEvent(tx, { invoiceId: d.invoiceId, kind: 'dispute_opened', actor: d.actor, params: { reason: d.reason, owner: d.owner } });
    return { ok: true as const };
  });
}

/** Gives the open dispute its owner (a customer's has none yet); its timeline says who handles it now. */
export async function assignDispute(sql: Sql, d: { invoiceId: number; owner: string; actor: string }): Promise<{ ok: true } | Refusal> {
  return sql.begin(async (tx) => {
    const [assigned] = await tx`update disputes set owner = ${d.owner} where invoice_id = ${d.invoiceId} and closed_at is null returning id`;
    if (!assigned) return { ok: false as const, field: 'owner', message: 'no dispute is open on this invoice' };
    await insertEvent(tx, { invoiceId: d.invoiceId, kind: 'dispute_assigned', actor: d.actor, params: { owner: d.owner } });
    return { ok: true as const };
  });
}

export async function closeDispute(sql: Sql, d: { invoiceId: number; resolution: string; actor: string }): Promise<{ ok: true } | Refusal> {
  return sql.begin(async (tx) => {
    const [closed] = await tx`update disputes set closed_at = now(), closed_by = ${d.actor}, resolution = ${d.resolution}
      where invoice_id = ${d.invoiceId} and closed_at is null returning id`;
    if (!closed) return { ok: false as const, field: 'resolution', message: 'no dispute is open on this invoice' };
    await insertEvent(tx, { invoiceId: d.invoiceId, kind: 'dispute_closed', actor: d.actor, params: { resolution: d.resolution } });
    return { ok: true as const };
  });
}

/**
 * Records a promise to pay with the balance it is measured against. Refused for more than the
 * balance, or while another promise is pending (withdraw it first).
 */
export async function recordPromise(
  sql: Sql,
  p: { invoiceId: number; amountCents: number; promisedOn: string; actor: string },
): Promise<{ ok: true } | Refusal> {
  return sql.begin(async (tx) => {
    const [inv] = await tx<{ balanceCents: number; currency: string }[]>`
      select total_cents - paid_cents as "balanceCents", currency from invoices where id = ${p.invoiceId} for update`;
    if (!inv || inv.balanceCents <= 0) return { ok: false as const, field: 'amount', message: 'the invoice has no balance left' };
    if (p.amountCents > inv.balanceCents) return { ok: false as const, field: 'amount', message: `at most the balance, ${(inv.balanceCents / 100).toFixed(2)}` };
    const [made] = await tx`insert into payment_promises (invoice_id, amount_cents, promised_on, balance_cents, recorded_by)
      values (${p.invoiceId}, ${p.amountCents}, ${p.promisedOn}, ${inv.balanceCents}, ${p.actor})
      on conflict (invoice_id) where outcome is null do nothing returning id`;
    if (!made) return { ok: false as const, field: 'promisedOn', message: 'a promise is already pending on this invoice' };
    await insertEvent(tx, {
      invoiceId: p.invoiceId, kind: 'promise_recorded', actor: p.actor,
      params: { amountCents: p.amountCents, currency: inv.currency, promisedOn: p.promisedOn },
    });
    return { ok: true as const };
  });
}

/** Settles the pending promise once: kept or broken (by the workflow), withdrawn (by a person). */
export async function settlePromise(
  sql: Sql,
  s: { invoiceId: number; promiseId?: number; outcome: 'kept' | 'broken' | 'withdrawn'; actor: string; /** When it was seen settled (the workflow's time); now if absent. */ at?: number },
): Promise<boolean> {
  const at = new Date(s.at ?? Date.now());
  return sql.begin(async (tx) => {
    const [settled] = await tx<{ id: number; amountCents: number; promisedOn: string; currency: string }[]>`
      update payment_promises set outcome = ${s.outcome}, settled_at = ${at}
      where invoice_id = ${s.invoiceId} and outcome is null ${s.promiseId === undefined ? tx`` : tx`and id = ${s.promiseId}`}
      returning id, amount_cents as "amountCents", promised_on as "promisedOn", (select currency from invoices where id = invoice_id) as currency`;
    if (!settled) return false;
    await insertEvent(tx, {
      invoiceId: s.invoiceId, kind: `promise_${s.outcome}`, actor: s.actor, occurredAt: at.getTime(), dedupeKey: `promise-${settled.id}-settled`,
      params: { amountCents: settled.amountCents, currency: settled.currency, promisedOn: settled.promisedOn },
    });
    return true;
  });
}

export interface DisputeToHandle {
  invoiceNumber: string;
  customerName: string;
  reason: string;
  openedAt: Date;
}

/** Disputes nobody owns yet (a customer opened them from its page), oldest first: finance's to handle. */
export async function disputesToHandle(sql: Sql): Promise<DisputeToHandle[]> {
  return sql<DisputeToHandle[]>`
    select i.number as "invoiceNumber", c.name as "customerName", d.reason, d.opened_at as "openedAt"
    from disputes d join invoices i on i.id = d.invoice_id join customers c on c.id = i.customer_id
    where d.closed_at is null and d.owner = '' order by d.opened_at limit 50`;
}
