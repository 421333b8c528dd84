import { createSql, type Sql } from '../db/client.js';
import { migrate } from '../db/migrate.js';
import { ensureDefaultPolicy } from '../db/seed/defaults.js';

// Each bench database numbers its invoices from its own ten million: their workflows' ids
// (`invoice-<id>`) never meet those a measurement before left on the same Temporal server.
let databasesMade = 0;

/** A fresh, migrated database of its own for one benchmark, in the bench's PostgreSQL; `drop` removes it. */
export async function benchDatabase(adminUrl: string, name: string): Promise<{ sql: Sql; url: string; drop(): Promise<void> }> {
  const admin = createSql(adminUrl, { max: 1 });
  await admin.unsafe(`drop database if exists ${name}`);
  await admin.unsafe(`create database ${name}`);
  const url = adminUrl.replace(/\/[^/]+$/, `/${name}`);
  const sql = createSql(url);
  await migrate(sql);
  await ensureDefaultPolicy(sql);
  await sql`select setval(pg_get_serial_sequence('invoices', 'id'), ${++databasesMade * 10_000_000})`;
  return {
    sql,
    url,
    async drop() {
      await sql.end({ timeout: 5 });
      await admin.unsafe(`drop database if exists ${name}`).catch(() => undefined);
      await admin.end({ timeout: 5 });
    },
  };
}

/** Open invoices written in bulk, due in the coming weeks: a benchmark measures Temporal and the worker, not inserts. */
export async function seedOpenInvoices(sql: Sql, o: { prefix: string; invoices: number; customers: number; firstDueInDays: number }): Promise<void> {
  await sql`insert into customers (ref, name, emails, language)
    select ${o.prefix} || '-' || g, 'Bench customer ' || g, array['ap' || g || '@bench.example'], 'fr' from generate_series(1, ${o.customers}) g`;
  await sql`insert into invoices (number, customer_id, issue_date, due_date, currency, total_cents)
    select ${o.prefix} || 'F-' || g, (select id from customers where ref = ${o.prefix} || '-' || (1 + g % ${o.customers})),
           current_date, current_date + (${o.firstDueInDays} + g % 60), 'EUR', 10000 + g
    from generate_series(1, ${o.invoices}) g`;
}
