// `npm run bench`: measures on this machine and writes BENCHMARKS.md.
import { spawn, type ChildProcess } from 'node:child_process';
import { parseArgs } from 'node:util';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { cpus, totalmem } from 'node:os';
import { join, resolve } from 'node:path';
import { Client } from '@temporalio/client';
import { createSql } from '../db/client.js';
import { startEmbeddedPostgres } from '../db/embedded.js';
import { migrate } from '../db/migrate.js';
import { ensureDefaultPolicy } from '../db/seed/defaults.js';
import { startDevServer } from '../scripts/temporal-dev-server.js';
import { buildWorkflowBundle } from '../worker/build-bundle.js';
import { childEnvironment } from '../worker/config.js';
import { ensureTemporalCli } from '../scripts/temporal-binaries.js';
import { freePort } from '../test/helpers/ports.js';

const { values: args } = parseArgs({ options: { invoices: { type: 'string', default: '10000' } } });
const INVOICES = Number(args.invoices);

async function peakRssMb(pid: number): Promise<number> {
  const status = await readFile(`/proc/${pid}/status`, 'utf8');
  return Number(/VmHWM:\s+(\d+) kB/.exec(status)?.[1] ?? 0) / 1024;
}

function stop(child: ChildProcess): Promise<void> {
  return new Promise((done) => {
    if (child.exitCode !== null) return done();
    child.once('exit', () => done());
    child.kill('SIGTERM');
  });
}

async function main(): Promise<void> {
  const dir = await mkdtemp(join(resolve('.data'), 'bench-'));
  const stoppers: (() => Promise<void>)[] = [];
  const pg = await startEmbeddedPostgres({ dataDir: join(dir, 'pg'), port: await freePort() });
  try {
    const sql = createSql(pg.url);
    await migrate(sql);
    await ensureDefaultPolicy(sql);
    // Customers and invoices written in bulk: the benchmark measures Temporal and the worker, not inserts.
    await sql`insert into customers (ref, name, emails, language)
      select 'B-' || g, 'Bench customer ' || g, array['ap' || g || '@bench.example'], 'fr' from generate_series(1, 500) g`;
    await sql`insert into invoices (number, customer_id, issue_date, due_date, currency, total_cents)
      select 'BF-' || g, (select id from customers where ref = 'B-' || (1 + g % 500)), current_date, current_date + (5 + g % 60), 'EUR', 10000 + g
      from generate_series(1, ${INVOICES}) g`;

    const cli = await ensureTemporalCli({ toolsDir: resolve('.tools'), env: childEnvironment({}), log: console.log });
    const server = await startDevServer({
      cli, dbFile: join(dir, 'temporal.db'), port: await freePort(), uiPort: await freePort(), namespace: 'default', output: 'ignore',
    });
    stoppers.push(() => server.stop());
    const { address, connection } = server;
    const client = new Client({ connection });

    const bundle = await buildWorkflowBundle(join(dir, 'workflow-bundle.js'));
    // The worker starts every open invoice's workflow itself (eagerly) when it comes up.
    const started = Date.now();
    const worker = spawn(process.execPath, ['--import', 'tsx', 'worker/main.ts'], {
      stdio: ['ignore', 'ignore', 'inherit'],
      env: childEnvironment({ DATABASE_URL: pg.url, TEMPORAL_ADDRESS: address, API_TOKEN: 'b'.repeat(32), LOG_LEVEL: 'warn', WORKFLOW_BUNDLE: bundle }),
    });
    stoppers.push(() => stop(worker));

    let startSeconds = 0;
    // Planned = the workflow has loaded its invoice, computed its next step and published NextStepAt.
    let planned = 0;
    while (planned < INVOICES) {
      await new Promise((r) => setTimeout(r, 1000));
      if (!startSeconds && (await client.workflow.count()).count >= INVOICES) startSeconds = (Date.now() - started) / 1000;
      planned = (await client.workflow.count('DunningStatus = "scheduled" AND NextStepAt IS NOT NULL')).count;
      console.log(`planned ${planned}/${INVOICES}`);
      if ((Date.now() - started) / 1000 > 900) throw new Error('gave up after 15 minutes');
    }
    const planSeconds = (Date.now() - started) / 1000;
    const peak = await peakRssMb(worker.pid!);

    const machine = `${cpus().length} × ${cpus()[0]?.model.trim()}, ${(totalmem() / 2 ** 30).toFixed(0)} GiB, Node ${process.version}`;
    const report = `# Benchmarks

Written by \`npm run bench\` on ${new Date().toISOString().slice(0, 10)}, on ${machine}.
Temporal dev server (CLI 1.9.1, SQLite) and embedded PostgreSQL 17 on the same machine, one worker process.

## Invoice workflows (issue 2)

| measure | result | target |
| --- | --- | --- |
| ${INVOICES.toLocaleString('en')} invoice workflows started by the worker as it comes up | ${startSeconds.toFixed(1)} s (${Math.round(INVOICES / startSeconds)} per second) | — |
| … and each has loaded its invoice and planned its next step | ${planSeconds.toFixed(1)} s after the worker was launched | under 60 s |
| worker peak memory (VmHWM) with ${INVOICES.toLocaleString('en')} sleeping workflows | ${peak.toFixed(0)} MB | under 1 GB |
`;
    await writeFile('BENCHMARKS.md', report);
    console.log(report);
    await connection.close();
    await sql.end({ timeout: 5 });
  } finally {
    for (const stopper of stoppers.reverse()) await stopper();
    await pg.stop();
    await rm(dir, { recursive: true, force: true });
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
