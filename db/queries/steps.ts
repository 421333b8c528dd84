import type { Sql } from '../client.js';

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

export async function stepsOfPolicy(sql: Sql, policyId: number): Promise<FollowUpStep[]> {
  return sql<FollowUpStep[]>`
    select id, policy_id as "policyId", position as level, name, colour, delay_days as "delayDays", channel,
           attach_pdf as "attachPdf", fee_cents as "feeCents", is_final as "isFinal"
    from follow_up_steps where policy_id = ${policyId} order by position`;
}

export async function defaultPolicyId(sql: Sql): Promise<number | undefined> {
  const [row] = await sql<{ id: number }[]>`select id from policies where is_default`;
  return row?.id;
}
