import autocannon from 'autocannon';
import type { Sql } from '../db/client.js';
import { benchDatabase } from './database.js';
import { startWebProcess } from './processes.js';

const INVOICES_PER_CUSTOMER = 10;
// A finance team at work, then twice as many people as cores can serve at once.
const CONNECTIONS = [4, 8] as const;
const DURATION_SECONDS = 30;
const SAMPLES_PER_PAGE = 40;

/** 200,000 invoices as a finance team has them: a year of due dates, most open, some paid, reminders on the late ones. */
async function seed(sql: Sql, invoices: number): Promise<void> {
  const customers = Math.ceil(invoices / INVOICES_PER_CUSTOMER);
  await sql`insert into customers (ref, name, emails, language)
    select 'C-' || g, (array['Atelier','Boulangerie','Garage','Cabinet','Menuiserie','Transports','Pharmacie','Imprimerie'])[1 + g % 8] || ' ' || g,
           array['compta' || g || '@client.example'], case when g % 5 = 0 then 'en' else 'fr' end
    from generate_series(1, ${customers}) g`;
  await sql`insert into invoices (number, customer_id, issue_date, due_date, currency, total_cents, paid_cents, status, last_level)
    select 'F-' || lpad(g::text, 7, '0'), 1 + g % ${customers}, current_date - (g % 400) - 30, current_date - (g % 400) + 30,
           'EUR', 5000 + (g * 7919) % 900000,
           case when g % 4 = 0 then 5000 + (g * 7919) % 900000 when g % 7 = 0 then 2000 else 0 end,
           case when g % 4 = 0 then 'paid' when g % 29 = 0 then 'cancelled' else 'open' end,
           case when g % 400 < 30 then 0 else least(4, (g % 400 - 30) / 15 + 1) end
    from generate_series(1, ${invoices}) g`;
  await sql`insert into reminders (invoice_id, level, step_name, channel, status, recipients, subject, note, sent_at, idempotency_key)
    select i.id, l, 'Relance ' || l, 'email', 'sent', array['compta@client.example'], 'Relance', case when l = i.last_level and i.id % 3 = 0 then 'Appel, promesse de paiement' end,
           now() - make_interval(days => (i.last_level - l) * 15), 'bench-' || i.id || '-' || l
    from invoices i cross join generate_series(1, 4) l where l <= i.last_level`;
  await sql`update invoices i set last_reminded_at = r.sent_at from reminders r where r.invoice_id = i.id and r.level = i.last_level`;
  // What autovacuum does on a live database: statistics and the visibility map for index-only scans.
  await sql`vacuum analyze`;
}

/** autocannon's own summary has no p95: every response time is kept instead. */
async function underLoad(base: string, requests: autocannon.Request[], connections: number) {
  const times: number[] = [];
  const result = await new Promise<autocannon.Result>((done, fail) => {
    const instance = autocannon(
      { url: base, connections, duration: DURATION_SECONDS, requests },
      (err, r) => (err ? fail(err) : done(r)),
    );
    instance.on('response', (_client, _status, _bytes, responseTime) => times.push(responseTime));
  });
  times.sort((a, b) => a - b);
  return {
    perSecond: result.requests.average,
    total: result.requests.total,
    errors: result.errors + result.timeouts + result.non2xx,
    p50: percentile(times, 50), p95: percentile(times, 95), p99: percentile(times, 99), max: times.at(-1) ?? 0,
  };
}

export function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

/**
 * The mass follow-up page with 200,000 invoices, served by the real web process: each filter timed
 * alone, then all of them under load from autocannon with several connections.
 */
export async function benchFollowUp(opts: { adminUrl: string; temporalAddress: string; invoices: number }): Promise<string> {
  const { sql, url, drop } = await benchDatabase(opts.adminUrl, 'bench_follow_up');
  const seedStart = Date.now();
  await seed(sql, opts.invoices);
  console.log(`seeded ${opts.invoices} invoices in ${((Date.now() - seedStart) / 1000).toFixed(0)} s`);

  const web = await startWebProcess({ databaseUrl: url, temporalAddress: opts.temporalAddress, apiToken: 'b'.repeat(32) });
  const { base, cookie } = web;
  try {
    const [{ today }] = await sql<[{ today: string }]>`select current_date::text as today`;
    const shift = (days: number) => new Date(Date.parse(today) + days * 86_400_000).toISOString().slice(0, 10);
    const pages: [string, string][] = [
      ['open invoices, first page', '/invoices'],
      ['due-date window (60 days)', `/invoices?dueFrom=${shift(-90)}&dueTo=${shift(-30)}`],
      ['page 1,000 of all invoices', '/invoices?status=all&page=1000'],
      ['text search on number', '/invoices?q=F-01234'],
      ['customer name', '/invoices?customer=Garage%2042'],
      ['level 2, balance > 0, by balance desc', '/invoices?level=2&balanceOnly=on&sort=balance&dir=desc'],
      ['htmx partial, sorted by customer', '/invoices?sort=customer&page=20'],
    ];
    const headers = (path: string) => ({ cookie, ...(path.includes('sort=customer') ? { 'hx-request': 'true', 'hx-target': 'results' } : {}) });

    const single: string[] = [];
    for (const [name, path] of pages) {
      const times: number[] = [];
      for (let i = 0; i < SAMPLES_PER_PAGE; i++) {
        const started = performance.now();
        const res = await fetch(`${base}${path}`, { headers: headers(path) });
        const body = await res.text();
        if (res.status !== 200 || !body.includes('data-invoice')) throw new Error(`${path} answered ${res.status} without rows`);
        times.push(performance.now() - started);
      }
      times.sort((a, b) => a - b);
      single.push(`| ${name} | \`${path}\` | ${percentile(times, 50).toFixed(0)} ms | ${percentile(times, 95).toFixed(0)} ms |`);
    }

    const requests = pages.map(([, path]) => ({ method: 'GET' as const, path, headers: headers(path) }));
    const [team, crowd] = [await underLoad(base, requests, CONNECTIONS[0]), await underLoad(base, requests, CONNECTIONS[1])];
    const [{ invoices }] = await sql<[{ invoices: number }]>`select count(*)::int as invoices from invoices`;
    return `## Mass follow-up page (issue 3)

${invoices.toLocaleString('en')} invoices of ${Math.ceil(invoices / INVOICES_PER_CUSTOMER).toLocaleString('en')} customers (open, paid and cancelled; reminders on the late ones),
served by the real web process (\`web/main.ts\`) from the embedded PostgreSQL, signed in, 50 rows a page.

Each filter alone, ${SAMPLES_PER_PAGE} requests one after the other:

| filter | request | p50 | p95 |
| --- | --- | --- | --- |
${single.join('\n')}

All of them in turn under load from autocannon, each connection sending its next request as soon as
the last one is answered, for ${DURATION_SECONDS} s; the load tool runs on the same 2 cores as the server
and the database. Latency percentiles are computed from every response's time.

| measure | ${CONNECTIONS[0]} connections | ${CONNECTIONS[1]} connections | target |
| --- | --- | --- | --- |
| pages served per second (mean) | ${team.perSecond.toFixed(1)} | ${crowd.perSecond.toFixed(1)} | 50 or more |
| latency p50 | ${team.p50.toFixed(0)} ms | ${crowd.p50.toFixed(0)} ms | — |
| latency p95 | ${team.p95.toFixed(0)} ms | ${crowd.p95.toFixed(0)} ms | under 150 ms |
| latency p99 / max | ${team.p99.toFixed(0)} ms / ${team.max.toFixed(0)} ms | ${crowd.p99.toFixed(0)} ms / ${crowd.max.toFixed(0)} ms | — |
| requests / errors (non-2xx, timeouts) | ${team.total} / ${team.errors} | ${crowd.total} / ${crowd.errors} | 0 errors |
`;
  } finally {
    await web.stop();
    await drop();
  }
}
