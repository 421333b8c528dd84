import type { Sql } from '../db/client.js';
import { refreshCustomerHabits, refreshReminderEffects, saveSnapshot } from '../db/queries/analytics.js';
import { SNAPSHOT_SPAN_DAYS } from '../activities/collection-snapshots.js';
import { benchDatabase } from './database.js';
import { percentile } from './follow-up.js';
import { startWebProcess } from './processes.js';

const SAMPLES = 40;

/** A year of invoicing: invoices issued every day, most paid (some late), five reminders on each, promises and disputes here and there. */
async function seed(sql: Sql, invoices: number): Promise<void> {
  const customers = Math.ceil(invoices / 10);
  await sql`insert into customers (ref, name, emails, language)
    select 'C-' || g, 'Client ' || g, array['compta' || g || '@client.example'], 'fr' from generate_series(1, ${customers}) g`;
  await sql`insert into invoices (number, customer_id, issue_date, due_date, currency, total_cents, paid_cents, status)
    select 'F-' || lpad(g::text, 7, '0'), 1 + g % ${customers}, current_date - (g % 365) - 30, current_date - (g % 365),
           'EUR', 5000 + (g * 7919) % 900000,
           case when g % 3 > 0 then 5000 + (g * 7919) % 900000 else 0 end,
           case when g % 3 > 0 then 'paid' else 'open' end
    from generate_series(1, ${invoices}) g`;
  await sql`insert into payments (invoice_id, amount_cents, currency, paid_on, method, source, external_id)
    select id, total_cents, 'EUR', due_date + (id % 45)::int, 'transfer', 'api', 'bench-pay-' || id from invoices where status = 'paid'`;
  await sql`insert into reminders (invoice_id, level, step_name, channel, status, recipients, subject, sent_at, idempotency_key)
    select i.id, l, 'Relance ' || l, case when l = 5 then 'letter' else 'email' end, 'sent', array['compta@client.example'], 'Relance',
           (i.due_date + (l - 1) * 10)::timestamp at time zone 'Europe/Paris' + interval '9 hours', 'bench-' || i.id || '-' || l
    from invoices i cross join generate_series(1, 5) l`;
  await sql`insert into payment_promises (invoice_id, amount_cents, promised_on, balance_cents, recorded_by, outcome, settled_at)
    select id, total_cents, due_date + 20, total_cents, 'bench', case when id % 2 = 0 then 'kept' else 'broken' end, now() from invoices where id % 17 = 0`;
  await sql`insert into disputes (invoice_id, reason, owner, opened_by) select id, 'Montant', 'bench', 'bench' from invoices where id % 41 = 0 and status = 'open'`;
  await sql`vacuum analyze`;
}

const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;

/**
 * The analytics page over 200,000 invoices and 1,000,000 reminders: the nightly work (a year of
 * snapshots computed back, then a day; the reminders' effects and the customers' habits) and the
 * page itself, served by the real web process.
 */
export async function benchAnalytics(opts: { adminUrl: string; temporalAddress: string; invoices: number }): Promise<string> {
  const { sql, url, drop } = await benchDatabase(opts.adminUrl, 'bench_analytics');
  try {
    const seeded = performance.now();
    await seed(sql, opts.invoices);
    console.log(`seeded ${opts.invoices} invoices in ${seconds(performance.now() - seeded)}`);
    const [{ today }] = await sql<[{ today: string }]>`select current_date::text as today`;
    const days = Array.from({ length: SNAPSHOT_SPAN_DAYS }, (_, i) => new Date(Date.parse(today) - (SNAPSHOT_SPAN_DAYS - 1 - i) * 86_400_000).toISOString().slice(0, 10));
    const backfill = performance.now();
    for (const day of days) await saveSnapshot(sql, day);
    const backfillMs = performance.now() - backfill;
    const oneDay = performance.now();
    await saveSnapshot(sql, today);
    const oneDayMs = performance.now() - oneDay;
    const aggregates = performance.now();
    await sql.begin(async (tx) => {
      await refreshReminderEffects(tx, new Date(Date.parse(today) - SNAPSHOT_SPAN_DAYS * 86_400_000), 'Europe/Paris');
      await refreshCustomerHabits(tx, today);
    });
    const aggregatesMs = performance.now() - aggregates;
    const [{ reminders }] = await sql<[{ reminders: number }]>`select count(*)::int as reminders from reminders`;

    const web = await startWebProcess({ databaseUrl: url, temporalAddress: opts.temporalAddress, apiToken: 'a'.repeat(32) });
    try {
      const rows: string[] = [];
      for (const [name, path, mark] of [['the page', '/analytics', 'data-testid="effects"'], ['reminders CSV', '/analytics/reminders.csv', 'Relance'], ['customers CSV', '/analytics/customers.csv', 'Client']] as const) {
        const times: number[] = [];
        for (let i = 0; i < SAMPLES; i++) {
          const started = performance.now();
          const res = await fetch(`${web.base}${path}`, { headers: { cookie: web.cookie } });
          const body = await res.text();
          if (res.status !== 200 || !body.includes(mark)) throw new Error(`${path} answered ${res.status} without its content: ${body.slice(0, 300)}`);
          times.push(performance.now() - started);
        }
        times.sort((a, b) => a - b);
        rows.push(`| ${name} | \`${path}\` | ${percentile(times, 50).toFixed(0)} ms | ${percentile(times, 95).toFixed(0)} ms |`);
      }
      return `## Collection analytics (issue 20)

${opts.invoices.toLocaleString('en')} invoices issued over a year (two in three paid, some late), ${reminders.toLocaleString('en')} reminders,
promises and disputes, in the embedded PostgreSQL.

The nightly work, in the \`relance-collection-snapshot\` workflow's activity:

| work | time |
| --- | --- |
| the first run: ${SNAPSHOT_SPAN_DAYS} days of snapshots computed back from invoices and payments | ${seconds(backfillMs)} (${(backfillMs / SNAPSHOT_SPAN_DAYS).toFixed(0)} ms a day) |
| each later night: today's snapshot | ${oneDayMs.toFixed(0)} ms |
| each night: the reminders' effects and the customers' habits | ${seconds(aggregatesMs)} |

The page and its exports, served by the real web process, signed in, ${SAMPLES} requests one after the other
(they read the night's tables, not the invoices):

| what | request | p50 | p95 | target |
| --- | --- | --- | --- | --- |
${rows.map((r) => `${r} under 200 ms |`).join('\n')}
`;
    } finally {
      await web.stop();
    }
  } finally {
    await drop();
  }
}
