import type { Sql } from '../client.js';

export interface StoredTemplate {
  subject: string;
  body: string;
  language: 'fr' | 'en';
}

/** The template in the customer's language, else the French one. */
export async function templateFor(
  sql: Sql,
  stepId: number,
  channel: 'email' | 'letter',
  language: string,
): Promise<StoredTemplate | undefined> {
  const [row] = await sql<StoredTemplate[]>`
    select subject, body, language from templates
    where step_id = ${stepId} and channel = ${channel} and language in (${language}, 'fr')
    order by (language = ${language}) desc limit 1`;
  return row;
}
