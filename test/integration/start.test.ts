import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client, Connection } from '@temporalio/client';
import { afterAll, afterEach, expect, inject, it, vi } from 'vitest';
import { createSql } from '../../db/client.js';
import { childEnvironment } from '../../platform/config.js';
import { freePort } from '../helpers/ports.js';

// `npm start` as a person runs it: embedded PostgreSQL, the Temporal dev server, the demo data,
// the worker and the web server, then one SIGTERM to the command, which must stop all of them.
let start: ChildProcess | undefined;
let dir: string | undefined;

afterAll(async () => {
  if (start?.exitCode === null) start.kill('SIGKILL');
  for (const pid of descendantsOf(start?.pid)) kill(pid);
  if (dir) await rm(dir, { recursive: true, force: true });
});

function kill(pid: number) {
  try {
    process.kill(pid, 'SIGKILL');
  } catch {
    // already gone
  }
}

/** A process still running: listed in /proc and not a zombie waiting to be reaped. */
function running(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2)[0] !== 'Z';
  } catch {
    return false;
  }
}

/** Every process below `root`, read from /proc. */
function descendantsOf(root: number | undefined): number[] {
  if (root === undefined) return [];
  const parentOf = new Map<number, number>();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      // The command name is in parentheses and may hold spaces: the parent pid follows the last ')'.
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      parentOf.set(Number(entry), Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]));
    } catch {
      // exited while listed
    }
  }
  const found: number[] = [];
  const walk = (pid: number) => {
    for (const [child, parent] of parentOf) if (parent === pid) found.push(child), walk(child);
  };
  walk(root);
  return found;
}

// What npm start printed, shown when the test fails.
let output: () => string = () => '';
afterEach((context) => {
  if (context.task.result?.state === 'fail') console.log(output().split('\n').filter((l) => l.startsWith('[relance]')).join('\n'));
});

/** The one process below npm start whose command line matches. */
function childWhoseCommand(pattern: RegExp): number {
  const matching = descendantsOf(start!.pid).filter((pid) => {
    try {
      return pattern.test(readFileSync(`/proc/${pid}/cmdline`, 'utf8').replaceAll('\0', ' '));
    } catch {
      return false;
    }
  });
  expect(matching, String(pattern)).toHaveLength(1);
  return matching[0]!;
}

interface Ports {
  pg: number;
  temporal: number;
  ui: number;
  web: number;
}

/** `npm start`'s own entry point, on the given data directory and ports; resolves once every open invoice has its workflow. */
async function launch(dataDir: string, ports: Ports): Promise<{ output: () => string }> {
  const env = childEnvironment({
    DATA_DIR: dataDir, EMBEDDED_POSTGRES_PORT: String(ports.pg), TEMPORAL_DEV_PORT: String(ports.temporal), TEMPORAL_UI_PORT: String(ports.ui),
    WEB_PORT: String(ports.web), TEMPORAL_CLI: inject('temporalCliPath'), LOG_LEVEL: 'info',
  });
  delete env.DATABASE_URL;
  delete env.TEMPORAL_ADDRESS;
  start = spawn(process.execPath, ['scripts/start.mjs'], { env, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  start.stdout!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  start.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  await vi.waitFor(() => expect(output).toContain('every open invoice has its dunning workflow'), { timeout: 170_000, interval: 500 });
  return { output: () => output };
}

/** Open invoices in the database, and running invoice workflows at the server once they match. */
async function expectOneWorkflowPerOpenInvoice(ports: Ports): Promise<void> {
  const password = readFileSync(join(dir!, 'postgres.password'), 'utf8').trim();
  const sql = createSql(`postgres://relance:${password}@127.0.0.1:${ports.pg}/relance`, { max: 1 });
  const connection = await Connection.connect({ address: `127.0.0.1:${ports.temporal}` });
  try {
    const [{ open }] = await sql<[{ open: number }]>`select count(*)::int as open from invoices where status = 'open'`;
    expect(open).toBeGreaterThan(100);
    const client = new Client({ connection });
    await vi.waitFor(
      async () => expect((await client.workflow.count('WorkflowType = "invoiceDunning" AND ExecutionStatus = "Running"')).count).toBe(open),
      { timeout: 30_000, interval: 500 },
    );
  } finally {
    await connection.close();
    await sql.end();
  }
}

/** SIGTERM to the command alone, as a process manager sends it: every process it started must end. */
async function stopWithSigterm(): Promise<void> {
  const started = descendantsOf(start!.pid);
  expect(started.length).toBeGreaterThanOrEqual(4);
  const exited = new Promise<number | null>((done) => start!.once('exit', (code) => done(code)));
  start!.kill('SIGTERM');
  expect(await exited).toBe(0);
  await vi.waitFor(() => expect(started.filter(running)).toEqual([]), { timeout: 20_000, interval: 250 });
}

it('starts everything with the demo data, stops everything on SIGTERM, and a second start carries on with the same data', async () => {
  dir = await mkdtemp(join(tmpdir(), 'relance-start-'));
  const [pg, temporal, ui, web] = await Promise.all([freePort(), freePort(), freePort(), freePort()]);
  const ports = { pg, temporal, ui, web };

  const first = await launch(dir, ports);
  output = first.output;
  expect(first.output()).toContain('demo data loaded');
  await expectOneWorkflowPerOpenInvoice(ports);
  expect((await fetch(`http://127.0.0.1:${web}/login`)).status).toBe(200);
  await expectPrivateData(dir, pg);
  await expectFirstRemindersOnly(dir, pg);
  await stopWithSigterm();
  expect(first.output()).toContain('[relance] stopping');

  // A normal start says nothing alarming: no error line from any part.
  expect(first.output()).not.toMatch(/\bERROR\b|"level":(50|60)/);

  const second = await launch(dir, ports);
  output = second.output;
  expect(second.output()).not.toContain('demo data loaded');
  expect(second.output()).not.toContain('First admin    admin@relance.local /');
  await expectOneWorkflowPerOpenInvoice(ports);
  // What it started is watched: the Temporal server or PostgreSQL killed comes back, said in a line.
  kill(childWhoseCommand(/start-dev/));
  await vi.waitFor(() => expect(second.output()).toContain('the Temporal dev server is back'), { timeout: 60_000, interval: 250 });
  expect(second.output()).toMatch(/the Temporal dev server stopped \(SIGKILL\); restarting it/);
  kill(childWhoseCommand(/postgres.* -D /));
  await vi.waitFor(() => expect(second.output()).toContain('PostgreSQL is back'), { timeout: 60_000, interval: 250 });
  expect(second.output()).toContain('PostgreSQL stopped answering; restarting it');
  await expectOneWorkflowPerOpenInvoice(ports);
  await stopWithSigterm();
  // Two starts of everything, each up to 170 s on a busy fresh machine, and two restarts.
}, 520_000);

/** The data directory, its secrets and the workflow histories are the OS user's alone; the database's old fixed password opens nothing. */
async function expectPrivateData(dataDir: string, pgPort: number): Promise<void> {
  // Group and others may at most pass through the directory (PostgreSQL's OS user, under root).
  expect(statSync(dataDir).mode & 0o066).toBe(0);
  for (const file of ['temporal.db', 'api-token', 'postgres.password', 'workflow-bundle.js']) {
    expect(statSync(join(dataDir, file)).mode & 0o077, file).toBe(0);
  }
  const legacy = createSql(`postgres://relance:relance@127.0.0.1:${pgPort}/relance`, { max: 1 });
  await expect(legacy`select 1`).rejects.toThrow(/password authentication failed/);
  await legacy.end();
}

/** The demo's late invoices start with the first reminder: no formal notice, no level 2 or 3, as anyone's first message. */
async function expectFirstRemindersOnly(dataDir: string, pgPort: number): Promise<void> {
  const password = readFileSync(join(dataDir, 'postgres.password'), 'utf8').trim();
  const sql = createSql(`postgres://relance:${password}@127.0.0.1:${pgPort}/relance`, { max: 1 });
  try {
    await vi.waitFor(async () => expect((await sql`select count(*)::int as n from reminders where status = 'sent'`)[0]!.n).toBeGreaterThan(50), { timeout: 60_000, interval: 500 });
    expect(await sql`select level, count(*)::int as n from reminders group by level order by level`).toEqual([{ level: 1, n: expect.any(Number) }]);
  } finally {
    await sql.end();
  }
}
