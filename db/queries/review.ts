import type { Sql } from '../client.js';
import { addDays, type IsoDate } from '../../workflows/schedule/calendar-date.js';
import { upcomingSteps, type SendSettings } from '../../workflows/schedule/plan.js';
import { localDate } from '../../workflows/schedule/zoned-time.js';
import { stepsOfPolicy, type FollowUpStep } from './steps.js';

/** One reminder a day's pass would send: the invoice, its level and channel, and the amount chased. */
export interface PassItem {
  invoiceId: number;
  number: string;
  customerName: string;
  customerRef: string;
  level: number;
  stepName: string;
  channel: FollowUpStep['channel'];
  amountCents: number;
  currency: string;
  sendDate: IsoDate;
  needsApproval: boolean;
  held: boolean;
}

export interface ReviewPass {
  id: number;
  passDate: IsoDate;
  status: 'open' | 'approved';
  preparedAt: Date;
  approvedBy: string | null;
  approvedAt: Date | null;
}

interface Candidate {
  invoiceId: number;
  number: string;
  customerName: string;
  customerRef: string;
  policyId: number;
  needsApproval: boolean;
  currency: string;
  balanceCents: number;
  dueDate: IsoDate;
  lastLevel: number;
  lastRemindedAt: Date | null;
}

/**
 * What would go out on `passDate`: every invoice still chased whose next step falls due by then,
 * computed with the same schedule the workflows follow (held invoices are left out: paused,
 * disputed, promised, being collected).
 */
export async function passItems(sql: Sql, passDate: IsoDate, send: SendSettings): Promise<PassItem[]> {
  const [{ earliest }] = await sql<[{ earliest: number }]>`select coalesce(min(delay_days), 0)::int as earliest from follow_up_steps`;
  const candidates = await sql<Candidate[]>`
    select i.id as "invoiceId", i.number, c.name as "customerName", c.ref as "customerRef", p.id as "policyId", p.needs_approval as "needsApproval",
           i.currency, i.total_cents - i.paid_cents as "balanceCents", i.due_date as "dueDate", i.last_level as "lastLevel", i.last_reminded_at as "lastRemindedAt"
    from invoices i join customers c on c.id = i.customer_id
    join policies p on p.id = coalesce(c.policy_id, (select id from policies where is_default))
    where i.status = 'open' and i.total_cents > i.paid_cents and i.due_date <= ${addDays(passDate, -Math.min(0, earliest))}
      and not i.paused and not c.paused and not c.dunning_excluded
      and not exists (select 1 from disputes d where d.invoice_id = i.id and d.closed_at is null)
      and not exists (select 1 from payment_promises pp where pp.invoice_id = i.id and pp.outcome is null and pp.promised_on >= ${passDate})
      and not exists (select 1 from sepa_run_items s where s.invoice_id = i.id and s.outcome = 'pending')
    order by c.name, i.due_date, i.number`;
  const stored = await sql<{ invoiceId: number; held: boolean }[]>`
    select ri.invoice_id as "invoiceId", ri.held from review_items ri join review_passes rp on rp.id = ri.pass_id where rp.pass_date = ${passDate}`;
  const held = new Set(stored.filter((s) => s.held).map((s) => s.invoiceId));
  const steps = new Map<number, FollowUpStep[]>();
  const items: PassItem[] = [];
  for (const c of candidates) {
    if (!steps.has(c.policyId)) steps.set(c.policyId, await stepsOfPolicy(sql, c.policyId));
    const policySteps = steps.get(c.policyId)!;
    const lastDate = c.lastRemindedAt ? localDate(c.lastRemindedAt.getTime(), send.timeZone) : null;
    const next = upcomingSteps(policySteps, c.dueDate, { level: c.lastLevel, lastDate }, send)[0];
    if (!next || next.sendDate > passDate) continue;
    items.push({
      invoiceId: c.invoiceId, number: c.number, customerName: c.customerName, customerRef: c.customerRef, level: next.level, stepName: next.name,
      channel: policySteps.find((s) => s.level === next.level)!.channel, amountCents: c.balanceCents, currency: c.currency, sendDate: next.sendDate,
      needsApproval: c.needsApproval, held: held.has(c.invoiceId),
    });
  }
  return items;
}

export async function passOn(sql: Sql, passDate: IsoDate): Promise<ReviewPass | undefined> {
  const [row] = await sql<ReviewPass[]>`
    select id, pass_date as "passDate", status, prepared_at as "preparedAt", approved_by as "approvedBy", approved_at as "approvedAt"
    from review_passes where pass_date = ${passDate}`;
  return row;
}

/**
 * Keeps the day's pass with the items that need approval (a held item stays held), and approves it
 * when asked. Returns the approved invoices, whose workflows may then go.
 */
export async function storePass(sql: Sql, passDate: IsoDate, items: PassItem[], approval?: { by: string }): Promise<number[]> {
  const gated = items.filter((i) => i.needsApproval);
  return sql.begin(async (tx) => {
    const [pass] = await tx<[{ id: number }]>`
      insert into review_passes (pass_date) values (${passDate})
      on conflict (pass_date) do update set prepared_at = now() returning id`;
    for (const i of gated) {
      await tx`insert into review_items (pass_id, invoice_id, level, channel, amount_cents, currency)
        values (${pass.id}, ${i.invoiceId}, ${i.level}, ${i.channel}, ${i.amountCents}, ${i.currency})
        on conflict (pass_id, invoice_id) do update set level = excluded.level, channel = excluded.channel, amount_cents = excluded.amount_cents`;
    }
    if (!approval) return [];
    await tx`update review_passes set status = 'approved', approved_by = ${approval.by}, approved_at = now() where id = ${pass.id}`;
    const go = await tx<{ invoiceId: number }[]>`select invoice_id as "invoiceId" from review_items where pass_id = ${pass.id} and not held`;
    return go.map((g) => g.invoiceId);
  });
}

/** Holds back (or lets go again) one invoice of a day's pass. */
export async function holdPassItem(sql: Sql, passDate: IsoDate, item: PassItem, held: boolean, actor: string): Promise<void> {
  await sql.begin(async (tx) => {
    const [pass] = await tx<[{ id: number }]>`
      insert into review_passes (pass_date) values (${passDate}) on conflict (pass_date) do update set pass_date = excluded.pass_date returning id`;
    await tx`insert into review_items (pass_id, invoice_id, level, channel, amount_cents, currency, held, held_by)
      values (${pass.id}, ${item.invoiceId}, ${item.level}, ${item.channel}, ${item.amountCents}, ${item.currency}, ${held}, ${held ? actor : null})
      on conflict (pass_id, invoice_id) do update set held = excluded.held, held_by = excluded.held_by`;
  });
}

/** The levels finance approved for an invoice, and those it held back; the workflow gates on them. */
export async function approvalsOf(sql: Sql, invoiceId: number): Promise<{ approved: number[]; held: number[] }> {
  const rows = await sql<{ level: number; held: boolean }[]>`
    select ri.level, ri.held from review_items ri join review_passes rp on rp.id = ri.pass_id
    where ri.invoice_id = ${invoiceId} and (rp.status = 'approved' or ri.held)`;
  return { approved: rows.filter((r) => !r.held).map((r) => r.level), held: rows.filter((r) => r.held).map((r) => r.level) };
}
