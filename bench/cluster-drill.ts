// `npm run drill:cluster [-- --invoices N]`: Relance as a team deploys it, on a real Temporal
// server (built from the Go module proxy) with PostgreSQL persistence, two workers and two web
// processes. Reminders fall due while a worker is SIGKILLed and the Temporal server restarts;
// it ends with every reminder delivered exactly once and every open invoice with its workflow,
// writes its figures in RELIABILITY.md and exits 1 if any check failed.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { cpus, totalmem } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { Client, Connection } from '@temporalio/client';
import { createSql } from '../db/client.js';
import { startEmbeddedPostgres } from '../db/embedded.js';
import { migrate } from '../db/migrate.js';
import { ensureDefaultPolicy } from '../db/seed/defaults.js';
import { ensureTemporalServerBuild, setUpTemporalSchemas, startTemporalCluster, TEMPORAL_SERVER_VERSION } from '../scripts/temporal-cluster.js';
import { freePort } from '../test/helpers/ports.js';
import { startResendServer } from '../test/helpers/resend-server.js';
import { buildWorkflowBundle } from '../worker/build-bundle.js';
import { childEnvironment } from '../platform/config.js';
import { REPAIR_SCHEDULE_ID } from '../services/temporal/schedules.js';
import { removeOnExit, runCommand, stopOnInterrupt } from './interruptible.js';
import { startWebProcess, startWorkerProcess } from './processes.js';

const { values: args } = parseArgs({ options: { invoices: { type: 'string', default: '300' }, payments: { type: 'string', default: '30' } } });
const INVOICES = Number(args.invoices);
const PAYMENTS = Math.min(Number(args.payments), INVOICES);
const TOKEN = 'drill-api-token-'.padEnd(32, 'x');
const SECTION = '## A real Temporal cluster';

const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;
const today = () => new Date().toISOString().slice(0, 10);
const daysAgo = (n: number) => new Date(Date.now() - n * 86_400_000).toISOString().slice(0, 10);

async function waitUntil(what: string, timeoutMs: number, done: () => Promise<boolean>): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await done())) {
    if (Date.now() > deadline) throw new Error(`${what}: not reached within ${seconds(timeoutMs)}`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

async function freePortRetrying(range: { from: number; to: number }): Promise<number> {
  for (let i = 0; ; i++) {
    const port = await freePort(range).catch((err: unknown) => (i < 20 ? null : Promise.reject(err)));
    if (port) return port;
  }
}

/**
 * Distinct free ports for the server to listen on, below the kernel's ephemeral range (32768 and
 * up): a port from that range can be handed to one of the server's own outgoing connections
 * before its service binds it. Temporal also keeps membership ports in a smallint column.
 */
async function serverPorts(count: number): Promise<number[]> {
  const ports = new Set<number>();
  while (ports.size < count) ports.add(await freePortRetrying({ from: 20_000, to: 32_000 }));
  return [...ports];
}

async function main(): Promise<void> {
  const figures: [string, string][] = [];
  const failures: string[] = [];
  const check = (what: string, ok: boolean, shown: string) => {
    figures.push([what, `${shown}${ok ? '' : ' **(failed)**'}`]);
    if (!ok) failures.push(`${what}: ${shown}`);
  };
  const env = childEnvironment({});
  const buildStarted = Date.now();
  const build = await ensureTemporalServerBuild(env, console.log);
  const buildMs = Date.now() - buildStarted;

  await mkdir(resolve('.data'), { recursive: true });
  const dir = await mkdtemp(join(resolve('.data'), 'drill-cluster-'));
  removeOnExit(dir);
  const children: ChildProcess[] = [];
  const stops: (() => Promise<void>)[] = [];
  const stopAll = async () => {
    for (const child of children) child.kill('SIGKILL');
    for (const stop of stops) await stop().catch((err) => console.error(`while stopping: ${(err as Error).message}`));
    await rm(dir, { recursive: true, force: true });
  };
  stopOnInterrupt(stopAll);
  try {
    const pg = await startEmbeddedPostgres({ dataDir: join(dir, 'pg'), port: await freePort() });
    stops.unshift(() => pg.stop());
    const url = new URL(pg.url);
    const endpoint = { host: url.hostname, port: Number(url.port), user: decodeURIComponent(url.username), password: decodeURIComponent(url.password) };
    await setUpTemporalSchemas(build, endpoint);
    const [frontend, frontendHttp, history, matching, worker, ...membership] = await serverPorts(9);
    const ports = { frontend: frontend!, frontendHttp: frontendHttp!, history: history!, matching: matching!, worker: worker!, membership: membership as [number, number, number, number] };
    const logFile = join(dir, 'temporal-server.log');
    const cluster = await startTemporalCluster({ build, pg: endpoint, ports, dir, namespace: 'default', logFile });
    stops.unshift(() => cluster.stop());
    console.log(`Temporal server ${TEMPORAL_SERVER_VERSION} on PostgreSQL at ${cluster.address} (log: ${logFile})`);

    // The search attributes, with the same script as the compose file.
    const register = spawn(process.execPath, ['--import', 'tsx', 'scripts/register-search-attributes.ts'], {
      stdio: 'inherit', env: childEnvironment({ TEMPORAL_ADDRESS: cluster.address, API_TOKEN: TOKEN }),
    });
    const registered = await new Promise<number | null>((done) => register.once('exit', done));
    if (registered !== 0) throw new Error(`scripts/register-search-attributes.ts exited with ${registered}`);

    const sql = createSql(pg.url, { max: 4 });
    stops.unshift(() => sql.end({ timeout: 5 }));
    await migrate(sql);
    await ensureDefaultPolicy(sql);
    const resend = await startResendServer();
    stops.unshift(() => resend.close());
    const bundle = await buildWorkflowBundle(join(dir, 'workflow-bundle.js'));
    const workerEnv = { RESEND_API_KEY: resend.apiKey, RESEND_BASE_URL: resend.baseUrl, LOG_LEVEL: 'error' };
    const startWorker = () => {
      const w = startWorkerProcess({ databaseUrl: pg.url, temporalAddress: cluster.address, apiToken: TOKEN, bundle, env: workerEnv });
      children.push(w);
      return w;
    };
    const workerA = startWorker();
    startWorker();
    // Two web processes starting together on a new database: one first admin, both serve.
    const webs = await Promise.all([0, 1].map(() => startWebProcess({ databaseUrl: pg.url, temporalAddress: cluster.address, apiToken: TOKEN, env: { LOG_LEVEL: 'error' } })));
    for (const web of webs) stops.unshift(() => web.stop());

    const connection = await Connection.connect({ address: cluster.address });
    stops.unshift(() => connection.close());
    const client = new Client({ connection });
    const api = (i: number, method: string, path: string, body: unknown) =>
      fetch(`${webs[i % 2]!.base}/api/v1${path}`, { method, headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' }, body: JSON.stringify(body) });
    const sent = async () => (await sql<{ n: number }[]>`select count(*)::int as n from reminders where status = 'sent'`)[0]!.n;

    // Each invoice is written through the API as a billing system would, twenty days overdue:
    // its first reminder is due at once, whatever the weekday.
    const pending: number[] = [];
    let slowestMs = 0;
    const timedApi = async (...call: Parameters<typeof api>) => {
      const at = Date.now();
      const answer = await api(...call);
      slowestMs = Math.max(slowestMs, Date.now() - at);
      return answer;
    };
    const writeInvoices = async (from: number, to: number) => {
      const numbers = Array.from({ length: to - from + 1 }, (_, k) => from + k);
      const lanes = Array.from({ length: 8 }, async () => {
        for (let n = numbers.shift(); n !== undefined; n = numbers.shift()) {
          const customer = await timedApi(n, 'PUT', `/customers/DRILL-${n % 40}`, { name: `Client ${n % 40}`, emails: [`ap${n % 40}@drill.example`] });
          if (!customer.ok) throw new Error(`PUT /customers/DRILL-${n % 40} answered ${customer.status}: ${await customer.text()}`);
          const invoice = await timedApi(n, 'PUT', `/invoices/DR-${n}`, { customerRef: `DRILL-${n % 40}`, issueDate: daysAgo(50), dueDate: daysAgo(20), currency: 'EUR', totalCents: 10_000 + n });
          if (!invoice.ok) throw new Error(`PUT /invoices/DR-${n} answered ${invoice.status}: ${await invoice.text()}`);
          if ((await invoice.json()).dunning === 'pending') pending.push(n);
        }
      });
      await Promise.all(lanes);
    };

    const started = Date.now();
    const half = Math.floor(INVOICES / 2);
    // The worker is killed while the first half is still being written and sent.
    const firstHalf = writeInvoices(1, half);
    await waitUntil('a tenth of the reminders sent', 120_000, async () => (await sent()) >= INVOICES / 10);
    workerA.kill('SIGKILL');
    const sentAtKill = await sent();
    await firstHalf;
    // Then the Temporal server restarts: what is written while it is down is saved and answered
    // "pending", and the repair pass starts its workflow once it is back.
    const down = Date.now();
    await cluster.stop();
    const whileDown = Math.min(24, INVOICES - half);
    slowestMs = 0;
    await writeInvoices(half + 1, half + whileDown);
    const slowestWhileDown = slowestMs;
    await cluster.start();
    const downMs = Date.now() - down;
    await writeInvoices(half + whileDown + 1, INVOICES);
    startWorker();
    await client.schedule.getHandle(REPAIR_SCHEDULE_ID).trigger().catch(() => undefined);
    await waitUntil('every reminder sent', 240_000, async () => (await sent()) >= INVOICES);
    const allSentMs = Date.now() - started;
    // The repair pass writes its timeline entries once the workflows it started are under way.
    const repairedSoFar = async () => (await sql<{ n: number }[]>`select count(distinct invoice_id)::int as n from follow_up_events where kind = 'dunning_repaired'`)[0]!.n;
    await waitUntil('the repair pass recorded what it started', 30_000, async () => (await repairedSoFar()) >= whileDown).catch(() => undefined);

    const [row] = await sql<[{ sent: number; rows: number; maxPerInvoice: number; open: number; repaired: number }]>`
      select (select count(*)::int from reminders where status = 'sent') as sent,
             (select count(distinct invoice_id)::int from follow_up_events where kind = 'dunning_repaired') as repaired,
             (select count(*)::int from reminders) as rows,
             (select coalesce(max(n), 0)::int from (select count(*) as n from reminders group by invoice_id, level) x) as "maxPerInvoice",
             (select count(*)::int from invoices where status = 'open') as open`;
    const slots = new Set([...resend.delivered.keys()].map((key) => key.replace(/-\d+$/, '')));
    check('reminders recorded sent', row.sent === INVOICES && row.rows === INVOICES && row.maxPerInvoice === 1, `${row.sent} of ${INVOICES}, ${row.rows} rows, at most ${row.maxPerInvoice} per invoice and level`);
    check('e-mails received', resend.delivered.size === INVOICES && slots.size === INVOICES && resend.resent.length === 0,
      `${resend.delivered.size} e-mails, ${slots.size} (invoice, level) keys, ${resend.resent.length} sent twice, in ${resend.requests.length} requests to Resend`);
    check('slowest API answer while Temporal was down', slowestWhileDown < 10_000, seconds(slowestWhileDown));
    // An answer given at the deadline while the server was coming up may have started its workflow after all.
    check('invoices written while Temporal was down, started by the repair pass',
      row.repaired >= whileDown && row.repaired <= pending.length,
      `${row.repaired} of the ${pending.length} answered "pending", each with its entry on the invoice's timeline`);
    const running = async () => (await client.workflow.count('WorkflowType = "invoiceDunning" AND ExecutionStatus = "Running"')).count;
    await waitUntil('one running workflow per open invoice', 60_000, async () => (await running()) === row.open).catch(() => undefined);
    const runningCount = await running();
    check('open invoices with a running workflow', runningCount === row.open, `${runningCount} running workflows for ${row.open} open invoices`);

    // Payments through both web processes end their invoices' workflows, which say so to the operator.
    const paid = Array.from({ length: PAYMENTS }, (_, k) => k + 1);
    const answers = await Promise.all(paid.map((n) => api(n, 'POST', '/payments', { invoiceNumber: `DR-${n}`, amountCents: 10_000 + n, currency: 'EUR', paidOn: today(), method: 'transfer', externalId: `drill-${n}` })));
    check('payments answered', answers.every((a) => a.status === 201), `${answers.filter((a) => a.status === 201).length} of ${PAYMENTS} recorded (201)`);
    const closedPaid = async () => (await client.workflow.count('WorkflowType = "invoiceDunning" AND ExecutionStatus = "Completed" AND DunningStatus = "paid"')).count;
    await waitUntil('paid invoices closed', 60_000, async () => (await closedPaid()) === PAYMENTS).catch(() => undefined);
    const closed = await closedPaid();
    check('paid invoices whose workflow closed as "paid"', closed === PAYMENTS, `${closed} of ${PAYMENTS}`);

    figures.unshift(
      ['setting', `Temporal server ${TEMPORAL_SERVER_VERSION} (one process, 4 history shards) on embedded PostgreSQL 17 for persistence and visibility; 2 workers, 2 web processes; Resend-speaking local server`],
      ['Temporal build', buildMs > 60_000 ? `built from the Go module proxy in ${seconds(buildMs)}` : 'cached'],
      ['invoices written through the API (both web processes)', `${INVOICES}, twenty days overdue`],
      ['worker SIGKILLed', `after ${sentAtKill} reminders sent`],
      ['Temporal server stopped (SIGTERM) and started again', `down ${seconds(downMs)}, while ${whileDown} invoices were written: each saved and answered "dunning: pending" (${pending.length} in all, with those written while its services were still coming up)`],
      ['all reminders sent', `${seconds(allSentMs)} after the first write`],
    );
  } finally {
    await stopAll();
  }

  const machine = `${cpus().length} × ${cpus()[0]?.model.trim()}, ${(totalmem() / 2 ** 30).toFixed(0)} GiB`;
  const section = `${SECTION} — \`npm run drill:cluster\`

Relance as a team deploys it: a real Temporal server built from \`go.temporal.io/server\`, PostgreSQL
persistence and visibility with the schemas set up by \`temporal-sql-tool\`, the search attributes
registered by \`scripts/register-search-attributes.ts\`, two workers and two web processes. A
worker is SIGKILLed while reminders go out, and the Temporal server restarts while invoices are
written. Run by \`.ci/run\` after \`npm test\`. Last run: ${today()}, ${machine}.

| | |
| --- | --- |
${figures.map(([what, shown]) => `| ${what} | ${shown} |`).join('\n')}
`;
  const current = await readFile('RELIABILITY.md', 'utf8');
  const parts = current.split(/^(?=## )/m);
  const at = parts.findIndex((p) => p.startsWith(SECTION));
  if (at >= 0) parts[at] = `${section}\n`;
  else parts.splice(2, 0, `${section}\n`);
  await writeFile('RELIABILITY.md', parts.join(''));
  console.log(section);
  if (failures.length) {
    console.error(`The cluster drill failed:\n${failures.map((f) => `- ${f}`).join('\n')}`);
    process.exit(1);
  }
  console.log('The cluster drill held: every reminder once, every open invoice chased.');
}

runCommand('drill:cluster', main);
