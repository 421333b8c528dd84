import type { ISql } from '../client.js';

export type Channel = 'email' | 'letter';
export type Language = 'fr' | 'en';

export interface StoredTemplate {
  subject: string;
  body: string;
  language: Language;
}

/** Templates of no step: the notice after a returned direct debit, the customer statement. */
export const SPECIAL_PURPOSES = ['debit_returned', 'statement'] as const;
export type SpecialPurpose = (typeof SPECIAL_PURPOSES)[number];

/** A step's template, or (stepId null) a special one. */
export interface TemplateKey {
  stepId: number | null;
  purpose: 'reminder' | SpecialPurpose;
  channel: Channel;
  language: Language;
}

/** The special template in the customer's language, else in French. */
export async function specialTemplateFor(sql: ISql, purpose: SpecialPurpose, channel: Channel, language: string): Promise<StoredTemplate | undefined> {
  const [row] = await sql<StoredTemplate[]>`
    select subject, body, language from templates
    where step_id is null and purpose = ${purpose} and channel = ${channel} and language in (${language}, 'fr')
    order by (language = ${language}) desc limit 1`;
  return row;
}

/**
 * The template for a send: the sending user's own version when they have one, else the shared
 * one, each in the customer's language before French.
 */
export async function templateFor(sql: ISql, stepId: number, channel: Channel, language: string, sender: { userId?: number; actor?: string } = {}): Promise<StoredTemplate | undefined> {
  const [row] = await sql<StoredTemplate[]>`
    select subject, body, language from (
      select subject, body, language, 0 as rank from user_templates
      where step_id = ${stepId} and channel = ${channel} and language in (${language}, 'fr')
        and user_id = coalesce(${sender.userId ?? null}::bigint, (select id from users where email = ${sender.actor ?? ''}))
      union all
      select subject, body, language, 1 from templates
      where step_id = ${stepId} and channel = ${channel} and language in (${language}, 'fr')
    ) t order by (language = ${language}) desc, rank limit 1`;
  return row;
}

/** The stored template at a key, the shared one or a user's own. */
export async function templateAt(sql: ISql, key: TemplateKey, userId?: number): Promise<StoredTemplate | undefined> {
  const [row] = key.stepId === null
    ? await sql<StoredTemplate[]>`select subject, body, language from templates
        where step_id is null and purpose = ${key.purpose} and channel = ${key.channel} and language = ${key.language}`
    : userId === undefined
    ? await sql<StoredTemplate[]>`select subject, body, language from templates
        where step_id = ${key.stepId} and channel = ${key.channel} and language = ${key.language}`
    : await sql<StoredTemplate[]>`select subject, body, language from user_templates
        where user_id = ${userId} and step_id = ${key.stepId} and channel = ${key.channel} and language = ${key.language}`;
  return row;
}

export async function saveTemplate(sql: ISql, key: TemplateKey, t: { subject: string; body: string }, userId?: number): Promise<void> {
  if (key.stepId === null) {
    await sql`insert into templates (purpose, channel, language, subject, body) values (${key.purpose}, ${key.channel}, ${key.language}, ${t.subject}, ${t.body})
      on conflict (purpose, channel, language) where step_id is null do update set subject = excluded.subject, body = excluded.body, updated_at = now()`;
  } else if (userId === undefined) {
    await sql`insert into templates (step_id, channel, language, subject, body) values (${key.stepId}, ${key.channel}, ${key.language}, ${t.subject}, ${t.body})
      on conflict (step_id, channel, language) do update set subject = excluded.subject, body = excluded.body, updated_at = now()`;
  } else {
    await sql`insert into user_templates (user_id, step_id, channel, language, subject, body)
      values (${userId}, ${key.stepId}, ${key.channel}, ${key.language}, ${t.subject}, ${t.body})
      on conflict (user_id, step_id, channel, language) do update set subject = excluded.subject, body = excluded.body, updated_at = now()`;
  }
}

export async function deleteUserTemplate(sql: ISql, key: TemplateKey, userId: number): Promise<void> {
  await sql`delete from user_templates where user_id = ${userId} and step_id = ${key.stepId} and channel = ${key.channel} and language = ${key.language}`;
}

/** Which channel and language pairs a step has texts for, to flag the missing ones. */
export async function templateKeysOfStep(sql: ISql, stepId: number): Promise<string[]> {
  const rows = await sql<{ key: string }[]>`select channel || '/' || language as key from templates where step_id = ${stepId}`;
  return rows.map((r) => r.key);
}
