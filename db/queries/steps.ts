import type { CatchUp } from '../../workflows/schedule/plan.js';
import type { ISql, Sql } from '../client.js';

export interface FollowUpStep {
  id: number;
  policyId: number;
  level: number;
  name: string;
  colour: string;
  delayDays: number;
  channel: 'email' | 'letter' | 'both';
  attachPdf: boolean;
  feeCents: number | null;
  isFinal: boolean;
}

export async function stepsOfPolicy(sql: ISql, policyId: number): Promise<FollowUpStep[]> {
  return sql<FollowUpStep[]>`
    select id, policy_id as "policyId", position as level, name, colour, delay_days as "delayDays", channel,
           attach_pdf as "attachPdf", fee_cents as "feeCents", is_final as "isFinal"
    from follow_up_steps where policy_id = ${policyId} order by position`;
}

export async function defaultPolicyId(sql: ISql): Promise<number | undefined> {
  const [row] = await sql<{ id: number }[]>`select id from policies where is_default`;
  return row?.id;
}

export interface PolicySummary {
  id: number;
  name: string;
  isDefault: boolean;
  steps: number;
  customers: number;
}

export async function listPolicies(sql: ISql): Promise<PolicySummary[]> {
  return sql<PolicySummary[]>`
    select p.id, p.name, p.is_default as "isDefault",
           (select count(*)::int from follow_up_steps s where s.policy_id = p.id) as steps,
           (select count(*)::int from customers c where c.policy_id = p.id) as customers
    from policies p order by p.is_default desc, p.name`;
}

export type StepFields = Omit<FollowUpStep, 'id' | 'policyId' | 'level'>;

export async function stepById(sql: ISql, id: number): Promise<FollowUpStep | undefined> {
  const [row] = await sql<FollowUpStep[]>`
    select id, policy_id as "policyId", position as level, name, colour, delay_days as "delayDays", channel,
           attach_pdf as "attachPdf", fee_cents as "feeCents", is_final as "isFinal"
    from follow_up_steps where id = ${id}`;
  return row;
}

/** A new policy starts as a copy of another one's steps and templates, so it can send from day one. */
export async function createPolicy(sql: Sql, name: string, copyFrom: number): Promise<number> {
  return sql.begin(async (tx) => {
    const [policy] = await tx<{ id: number }[]>`insert into policies (name) values (${name}) returning id`;
    const steps = await tx<{ id: number }[]>`select id from follow_up_steps where policy_id = ${copyFrom} order by position`;
    for (const step of steps) {
      const [copy] = await tx<{ id: number }[]>`
        insert into follow_up_steps (policy_id, position, name, colour, delay_days, channel, attach_pdf, fee_cents, is_final)
        select ${policy!.id}, position, name, colour, delay_days, channel, attach_pdf, fee_cents, is_final
        from follow_up_steps where id = ${step.id} returning id`;
      await tx`insert into templates (step_id, channel, language, subject, body)
               select ${copy!.id}, channel, language, subject, body from templates where step_id = ${step.id}`;
    }
    return policy!.id;
  });
}

export async function renamePolicy(sql: ISql, id: number, name: string): Promise<void> {
  await sql`update policies set name = ${name} where id = ${id}`;
}

export async function makeDefaultPolicy(sql: Sql, id: number): Promise<void> {
  await sql.begin(async (tx) => {
    await tx`update policies set is_default = false where is_default and id <> ${id}`;
    await tx`update policies set is_default = true where id = ${id}`;
  });
}

/** Only a policy that is neither the default nor given to a customer may go. */
export async function deletePolicy(sql: ISql, id: number): Promise<'done' | 'in_use'> {
  const [row] = await sql<{ id: number }[]>`
    delete from policies p where id = ${id} and not is_default
      and not exists (select 1 from customers c where c.policy_id = p.id)
    returning id`;
  return row ? 'done' : 'in_use';
}

export async function addStep(sql: Sql, policyId: number, step: StepFields, templatesFrom: number | null): Promise<number> {
  return sql.begin(async (tx) => {
    const [row] = await tx<{ id: number }[]>`
      insert into follow_up_steps (policy_id, position, name, colour, delay_days, channel, attach_pdf, fee_cents, is_final)
      values (${policyId}, (select coalesce(max(position), 0) + 1 from follow_up_steps where policy_id = ${policyId}),
              ${step.name}, ${step.colour}, ${step.delayDays}, ${step.channel}, ${step.attachPdf}, ${step.feeCents}, ${step.isFinal})
      returning id`;
    if (templatesFrom !== null) {
      await tx`insert into templates (step_id, channel, language, subject, body)
               select ${row!.id}, channel, language, subject, body from templates where step_id = ${templatesFrom}`;
    }
    return row!.id;
  });
}

export async function updateStep(sql: ISql, id: number, step: StepFields): Promise<void> {
  await sql`update follow_up_steps set name = ${step.name}, colour = ${step.colour}, delay_days = ${step.delayDays},
    channel = ${step.channel}, attach_pdf = ${step.attachPdf}, fee_cents = ${step.feeCents}, is_final = ${step.isFinal}
    where id = ${id}`;
}

/** Swaps a step with its neighbour; the unique position is checked at commit. */
export async function moveStep(sql: Sql, id: number, direction: -1 | 1): Promise<boolean> {
  return sql.begin(async (tx) => {
    const [pair] = await tx<{ neighbour: number; position: number; neighbourPosition: number }[]>`
      select n.id as neighbour, s.position, n.position as "neighbourPosition"
      from follow_up_steps s join follow_up_steps n on n.policy_id = s.policy_id and n.position = s.position + ${direction}
      where s.id = ${id}`;
    if (!pair) return false;
    await tx`update follow_up_steps set position = ${pair.neighbourPosition} where id = ${id}`;
    await tx`update follow_up_steps set position = ${pair.position} where id = ${pair.neighbour}`;
    return true;
  });
}

export interface StepUsage {
  reminders: number;
  openInvoicesAtOrPast: number;
}

/** What would lose its meaning if the step went: reminders sent with it, open invoices that reached it. */
export async function stepUsage(sql: ISql, step: FollowUpStep): Promise<StepUsage> {
  const [row] = await sql<StepUsage[]>`
    select (select count(*)::int from reminders where step_id = ${step.id}) as reminders,
           (select count(*)::int from invoices i join customers c on c.id = i.customer_id
            where i.status = 'open' and i.last_level >= ${step.level}
              and coalesce(c.policy_id, (select id from policies where is_default)) = ${step.policyId}) as "openInvoicesAtOrPast"`;
  return row!;
}

export async function deleteStep(sql: Sql, step: FollowUpStep): Promise<void> {
  await sql.begin(async (tx) => {
    await tx`delete from follow_up_steps where id = ${step.id}`;
    await tx`update follow_up_steps set position = position - 1 where policy_id = ${step.policyId} and position > ${step.level}`;
  });
}

export async function setCustomerPolicy(sql: ISql, customerId: number, p: { policyId: number | null; excluded: boolean; isBusiness: boolean }): Promise<void> {
  await sql`update customers set policy_id = ${p.policyId}, dunning_excluded = ${p.excluded}, is_business = ${p.isBusiness}, updated_at = now() where id = ${customerId}`;
}

/** How a policy sends: one statement per customer and day or a reminder per invoice; on its own or after the day's review. */
export interface SendingOptions {
  statementMode: boolean;
  needsApproval: boolean;
  /** How an invoice entering late catches up (workflows/schedule/plan.ts). */
  catchUp: CatchUp;
}

export async function sendingOptionsOf(sql: ISql, policyId: number): Promise<SendingOptions> {
  const [row] = await sql<SendingOptions[]>`
    select statement_mode as "statementMode", needs_approval as "needsApproval", catch_up as "catchUp" from policies where id = ${policyId}`;
  return row ?? { statementMode: false, needsApproval: false, catchUp: 'first_step' };
}

export async function setSendingOptions(sql: ISql, policyId: number, o: SendingOptions): Promise<void> {
  await sql`update policies set statement_mode = ${o.statementMode}, needs_approval = ${o.needsApproval}, catch_up = ${o.catchUp} where id = ${policyId}`;
}
