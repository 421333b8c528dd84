import type { ISql, Sql } from '../client.js';
import type { IsoDate } from '../../workflows/schedule/calendar-date.js';
import type { FollowUpStep } from './steps.js';

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

export async function passOn(sql: ISql, passDate: IsoDate): Promise<ReviewPass | undefined> {
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

/** The levels finance approved for each invoice, and those it held back; the workflow gates on them. */
export async function approvalsOf(sql: ISql, invoiceIds: readonly number[]): Promise<Map<number, { approved: number[]; held: number[] }>> {
  if (invoiceIds.length === 0) return new Map();
  const rows = await sql<{ invoiceId: number; level: number; held: boolean }[]>`
    select ri.invoice_id as "invoiceId", ri.level, ri.held from review_items ri join review_passes rp on rp.id = ri.pass_id
    where ri.invoice_id = any(${invoiceIds as number[]}) and (rp.status = 'approved' or ri.held)`;
  return new Map(invoiceIds.map((id) => {
    const mine = rows.filter((r) => r.invoiceId === id);
    return [id, { approved: mine.filter((r) => !r.held).map((r) => r.level), held: mine.filter((r) => r.held).map((r) => r.level) }];
  }));
}
