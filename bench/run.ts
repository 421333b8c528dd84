// `npm run bench [-- --only workflows|follow-up|letters|bulk-run|engine-floor|sepa-file|analytics|soak] [--invoices N] [--follow-up-invoices N] [--letters N] [--run-invoices N] [--floor-sizes 3000,10000]
// [--sepa-transactions N] [--analytics-invoices N] [--soak-invoices N] [--soak-payments N]`: measures on this machine and writes BENCHMARKS.md; a section
// not run keeps its last figures. The soak (load drill, `npm run soak`) runs only when asked for: it takes long.
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { cpus, totalmem } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { Client } from '@temporalio/client';
import { startEmbeddedPostgres } from '../db/embedded.js';
import { ensureTemporalCli } from '../scripts/temporal-binaries.js';
import { startDevServer } from '../scripts/temporal-dev-server.js';
import { freePort } from '../test/helpers/ports.js';
import { childEnvironment } from '../platform/config.js';
import { benchAnalytics } from './analytics.js';
import { benchFollowUp } from './follow-up.js';
import { removeOnExit, runCommand, stopOnInterrupt } from './interruptible.js';
import { benchBulkRun } from './bulk-run.js';
import { benchLetters } from './letters.js';
import { benchSepaFile } from './sepa-file.js';
import { benchSoak } from './soak.js';
import { benchWorkflows } from './workflows.js';
import { benchEngineFloor } from './engine-floor.js';
import { buildWorkflowBundle } from '../worker/build-bundle.js';

const { values: args } = parseArgs({
  options: {
    only: { type: 'string' },
    invoices: { type: 'string', default: '10000' },
    'follow-up-invoices': { type: 'string', default: '200000' },
    letters: { type: 'string', default: '1000' },
    'run-invoices': { type: 'string', default: '10000' },
    'sepa-transactions': { type: 'string', default: '100000' },
    'soak-invoices': { type: 'string', default: '50000' },
    'soak-payments': { type: 'string', default: '2000' },
    'analytics-invoices': { type: 'string', default: '200000' },
    'floor-sizes': { type: 'string', default: '3000,10000' },
  },
});
const SECTIONS = ['workflows', 'follow-up', 'letters', 'bulk-run', 'engine-floor', 'sepa-file', 'analytics', 'soak'] as const;
if (args.only && !SECTIONS.includes(args.only as never)) throw new Error(`--only: one of ${SECTIONS.join(', ')}`);
const runs = (section: (typeof SECTIONS)[number]) => (section === 'soak' ? args.only === 'soak' : !args.only || args.only === section);

/** The sections of the current BENCHMARKS.md by heading, to keep the ones not measured this time. */
async function previousSections(): Promise<Map<string, string>> {
  if (!existsSync('BENCHMARKS.md')) return new Map();
  const text = await readFile('BENCHMARKS.md', 'utf8');
  return new Map(text.split(/^(?=## )/m).slice(1).map((s) => [s.split('\n', 1)[0]!, s.trimEnd() + '\n']));
}

async function main(): Promise<void> {
  // A fresh clone has no .data yet.
  await mkdir(resolve('.data'), { recursive: true });
  const dir = await mkdtemp(join(resolve('.data'), 'bench-'));
  removeOnExit(dir);
  // pg_stat_statements counts the statements each reminder costs (the engine-floor section).
  const pg = await startEmbeddedPostgres({ dataDir: join(dir, 'pg'), port: await freePort(), settings: { shared_preload_libraries: 'pg_stat_statements' } });
  stopOnInterrupt(() => pg.stop());
  const cli = await ensureTemporalCli({ toolsDir: resolve('.tools'), env: childEnvironment({}), log: console.log });
  const server = await startDevServer({
    cli, dbFile: join(dir, 'temporal.db'), port: await freePort(), uiPort: await freePort(), namespace: 'default', output: 'ignore',
  });
  stopOnInterrupt(() => server.stop());
  const sections = await previousSections();
  try {
    const client = new Client({ connection: server.connection });
    const keep = (section: string) => sections.set(section.split('\n', 1)[0]!, `${section}\nMeasured on ${new Date().toISOString().slice(0, 10)}.\n`);
    const bundle = await buildWorkflowBundle(join(dir, 'workflow-bundle.js'));
    if (runs('workflows')) keep(await benchWorkflows({ adminUrl: pg.url, temporalAddress: server.address, client, bundle, invoices: Number(args.invoices) }));
    if (runs('letters')) keep(await benchLetters({ letters: Number(args.letters), chromiumPath: '/usr/bin/chromium' }));
    if (runs('bulk-run')) keep(await benchBulkRun({ adminUrl: pg.url, temporalAddress: server.address, client, bundle, invoices: Number(args['run-invoices']) }));
    if (runs('engine-floor')) {
      keep(await benchEngineFloor({ adminUrl: pg.url, temporalAddress: server.address, client, dir, bundle, sizes: args['floor-sizes'].split(',').map(Number) }));
    }
    if (runs('sepa-file')) keep(await benchSepaFile({ transactions: Number(args['sepa-transactions']), dir }));
    if (runs('soak')) keep(await benchSoak({ adminUrl: pg.url, temporalAddress: server.address, client, dir, invoices: Number(args['soak-invoices']), payments: Number(args['soak-payments']) }));
    if (runs('follow-up')) keep(await benchFollowUp({ adminUrl: pg.url, temporalAddress: server.address, invoices: Number(args['follow-up-invoices']) }));
    if (runs('analytics')) keep(await benchAnalytics({ adminUrl: pg.url, temporalAddress: server.address, invoices: Number(args['analytics-invoices']) }));
    const machine = `${cpus().length} × ${cpus()[0]?.model.trim()}, ${(totalmem() / 2 ** 30).toFixed(0)} GiB, Node ${process.version}`;
    const report = `# Benchmarks

Written by \`npm run bench\` on ${machine}; each section says the day it was measured.
Temporal dev server (CLI 1.9.1, SQLite) and embedded PostgreSQL 17 on the same machine.

${[...sections.values()].join('\n')}`;
    await writeFile('BENCHMARKS.md', report);
    console.log(report);
    await server.connection.close();
  } finally {
    await server.stop();
    await pg.stop();
    await rm(dir, { recursive: true, force: true });
  }
}

runCommand('bench', main);
