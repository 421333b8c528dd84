import { randomBytes } from 'node:crypto';
import { inject } from 'vitest';
import { createSql, type Sql } from '../../db/client.js';
import { eventText } from '../../web/timeline-texts.js';

/** A fresh database cloned from the migrated template: no test file sees another's rows. */
export function freshDatabase(): Promise<{ sql: Sql; url: string; drop(): Promise<void> }> {
  return createDatabase(inject('templateDatabase'));
}

/** A database with nothing in it, not even Relance's schema. */
export function freshEmptyDatabase(): Promise<{ sql: Sql; url: string; drop(): Promise<void> }> {
  return createDatabase('template0');
}

async function createDatabase(template: string): Promise<{ sql: Sql; url: string; drop(): Promise<void> }> {
  const adminUrl = inject('postgresAdminUrl');
  const name = `t_${randomBytes(6).toString('hex')}`;
  const admin = createSql(adminUrl, { max: 1 });
  await admin.unsafe(`create database ${name} template ${template}`);
  const url = adminUrl.replace(/\/postgres$/, `/${name}`);
  const sql = createSql(url, { max: 8 });
  return {
    sql,
    url,
    async drop() {
      await sql.end({ timeout: 5 });
      await admin.unsafe(`drop database if exists ${name} with (force)`);
      await admin.end({ timeout: 5 });
    },
  };
}

/** What the timeline entries of a kind say (in English, or French), as the invoice page shows them. */
export async function timelineTexts(sql: Sql, kind: string, invoiceId?: number, lang: 'fr' | 'en' = 'en'): Promise<string[]> {
  const rows = await sql<{ kind: string; params: Record<string, unknown> | null; message: string }[]>`
    select kind, params, message from follow_up_events where kind = ${kind} ${invoiceId === undefined ? sql`` : sql`and invoice_id = ${invoiceId}`} order by id`;
  return rows.map((r) => eventText(r, lang));
}
