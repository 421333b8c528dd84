import type { ISql } from '../client.js';
import { addDays, type IsoDate } from '../../workflows/schedule/calendar-date.js';
import { dueStepOf, nextAction } from '../../workflows/schedule/next-action.js';
import type { SendSettings } from '../../workflows/schedule/plan.js';
import { instantAt } from '../../workflows/schedule/zoned-time.js';
import { loadDunningFacts } from './dunning-facts.js';
import type { PassItem } from './review.js';

/**
 * What would go out on `passDate`: each invoice's next action as its workflow will judge it at that
 * day's send hour (the same facts, the same planner), kept when it sends a step that day. Held
 * invoices are left out by the same rule that holds their workflows: paused, disputed, promised,
 * being collected, a letter to print, waiting in a statement, under the minimum balance.
 */
export async function passItems(sql: ISql, passDate: IsoDate, send: SendSettings): Promise<PassItem[]> {
  const [{ earliest }] = await sql<[{ earliest: number }]>`select coalesce(min(delay_days), 0)::int as earliest from follow_up_steps`;
  // Only a first look: no step can be due before the earliest due date (of an installment, too) plus the earliest delay.
  const candidates = await sql<{ id: number; customerName: string; customerRef: string; currency: string; balanceCents: number }[]>`
    select i.id, c.name as "customerName", c.ref as "customerRef", i.currency, i.total_cents - i.paid_cents as "balanceCents"
    from invoices i join customers c on c.id = i.customer_id
    where i.status = 'open' and i.total_cents > i.paid_cents
      and coalesce((select min(due_date) from installments s where s.invoice_id = i.id), i.due_date) <= ${addDays(passDate, -Math.min(0, earliest))}
    order by c.name, i.due_date, i.number`;
  const stored = await sql<{ invoiceId: number; held: boolean }[]>`
    select ri.invoice_id as "invoiceId", ri.held from review_items ri join review_passes rp on rp.id = ri.pass_id where rp.pass_date = ${passDate}`;
  const held = new Set(stored.filter((s) => s.held).map((s) => s.invoiceId));
  const loaded = await loadDunningFacts(sql, candidates.map((c) => c.id));
  const at = instantAt(passDate, send.sendHour, send.timeZone);
  const items: PassItem[] = [];
  for (const c of candidates) {
    const l = loaded.get(c.id);
    const step = l ? dueStepOf(nextAction(l.facts, at)) : null;
    if (!l || !step || step.sendDate > passDate) continue;
    items.push({
      invoiceId: c.id, number: l.facts.number, customerName: c.customerName, customerRef: c.customerRef, level: step.level, stepName: step.name,
      channel: l.steps.find((s) => s.level === step.level)!.channel, amountCents: c.balanceCents, currency: c.currency, sendDate: step.sendDate,
      needsApproval: l.facts.approval !== null, held: held.has(c.id),
    });
  }
  return items;
}
