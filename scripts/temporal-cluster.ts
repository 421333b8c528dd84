// A real Temporal server (not the dev server) on PostgreSQL: built once from the Go module proxy
// into a cache outside the clone, its schemas set up with Temporal's own temporal-sql-tool.
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { cp, mkdir, open, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { Connection } from '@temporalio/client';
import { msToTs } from '@temporalio/common/lib/time.js';

const run = promisify(execFile);

export const TEMPORAL_SERVER_VERSION = '1.32.1';
const MODULE = 'go.temporal.io/server';

export interface TemporalServerBuild {
  server: string;
  sqlTool: string;
  /** Temporal's `schema/postgresql/v12` folder of the same version. */
  schemaDir: string;
}

/**
 * `temporal-server` and `temporal-sql-tool` at TEMPORAL_SERVER_VERSION, built with `go install` the
 * first time (about 11 minutes on two cores) into `$XDG_CACHE_HOME/relance`, with the version's
 * SQL schemas copied beside them from the module cache.
 */
export async function ensureTemporalServerBuild(env: Record<string, string | undefined>, log: (line: string) => void): Promise<TemporalServerBuild> {
  const cache = join(env.XDG_CACHE_HOME ?? join(homedir(), '.cache'), 'relance');
  const dir = join(cache, `temporal-server-${TEMPORAL_SERVER_VERSION}`);
  const build = { server: join(dir, 'temporal-server'), sqlTool: join(dir, 'temporal-sql-tool'), schemaDir: join(dir, 'schema') };
  if (existsSync(join(dir, 'complete'))) return build;
  const partial = `${dir}.partial`;
  await rm(partial, { recursive: true, force: true });
  await mkdir(partial, { recursive: true });
  log(`Building Temporal server ${TEMPORAL_SERVER_VERSION} and temporal-sql-tool from the Go module proxy into ${dir} (about 11 minutes the first time) …`);
  const started = Date.now();
  const goEnv = { ...env, GOBIN: partial, GOFLAGS: '-mod=mod' };
  await run('go', ['install', `${MODULE}/cmd/server@v${TEMPORAL_SERVER_VERSION}`, `${MODULE}/cmd/tools/sql@v${TEMPORAL_SERVER_VERSION}`], { env: goEnv, maxBuffer: 1 << 26 });
  await rename(join(partial, 'server'), join(partial, 'temporal-server'));
  await rename(join(partial, 'sql'), join(partial, 'temporal-sql-tool'));
  const { stdout: modCache } = await run('go', ['env', 'GOMODCACHE'], { env: goEnv });
  await cp(join(modCache.trim(), `${MODULE}@v${TEMPORAL_SERVER_VERSION}`, 'schema', 'postgresql', 'v12'), join(partial, 'schema'), { recursive: true });
  await writeFile(join(partial, 'complete'), `${new Date().toISOString()}\n`);
  await rm(dir, { recursive: true, force: true });
  await rename(partial, dir);
  log(`Temporal server ${TEMPORAL_SERVER_VERSION} built in ${Math.round((Date.now() - started) / 1000)} s`);
  return build;
}

export interface PostgresEndpoint {
  host: string;
  port: number;
  user: string;
  password: string;
}

/** Creates Temporal's two databases and brings their schemas to the version's latest, as an operator would. */
export async function setUpTemporalSchemas(build: TemporalServerBuild, pg: PostgresEndpoint): Promise<void> {
  for (const [database, schema] of [['temporal', 'temporal'], ['temporal_visibility', 'visibility']] as const) {
    const tool = (...args: string[]) =>
      run(build.sqlTool, ['--plugin', 'postgres12', '--ep', pg.host, '--port', String(pg.port), '--user', pg.user, '--password', pg.password, '--database', database, ...args], { maxBuffer: 1 << 24 });
    await tool('create-database');
    await tool('setup-schema', '-v', '0.0');
    await tool('update-schema', '-d', join(build.schemaDir, schema, 'versioned'));
  }
}

export interface ClusterPorts {
  frontend: number;
  frontendHttp: number;
  history: number;
  matching: number;
  worker: number;
  membership: [number, number, number, number];
}

/** The server's configuration: all four services in one process, PostgreSQL for history and visibility. */
function serverConfig(pg: PostgresEndpoint, ports: ClusterPorts, dynamicConfig: string) {
  const store = (databaseName: string, maxConns: number) => ({
    sql: {
      pluginName: 'postgres12', databaseName, connectAddr: `${pg.host}:${pg.port}`, connectProtocol: 'tcp', user: pg.user, password: pg.password,
      maxConns, maxIdleConns: maxConns, maxConnLifetime: '1h',
    },
  });
  const service = (grpcPort: number, membershipPort: number, extra = {}) => ({ rpc: { grpcPort, membershipPort, bindOnLocalHost: true, ...extra } });
  return {
    log: { stdout: true, level: 'warn' },
    persistence: {
      defaultStore: 'default', visibilityStore: 'visibility', numHistoryShards: 4,
      datastores: { default: store('temporal', 20), visibility: store('temporal_visibility', 10) },
    },
    global: { membership: { maxJoinDuration: '30s', broadcastAddress: '127.0.0.1' } },
    services: {
      frontend: service(ports.frontend, ports.membership[0], { httpPort: ports.frontendHttp }),
      history: service(ports.history, ports.membership[1]),
      matching: service(ports.matching, ports.membership[2]),
      worker: service(ports.worker, ports.membership[3]),
    },
    clusterMetadata: {
      enableGlobalNamespace: false, failoverVersionIncrement: 10, masterClusterName: 'active', currentClusterName: 'active',
      clusterInformation: { active: { enabled: true, initialFailoverVersion: 1, rpcName: 'frontend', rpcAddress: `127.0.0.1:${ports.frontend}` } },
    },
    dcRedirectionPolicy: { policy: 'noop' },
    dynamicConfigClient: { filepath: dynamicConfig, pollInterval: '10s' },
  };
}

export interface TemporalCluster {
  address: string;
  /** Stops the server with SIGTERM, as an orchestrator would. */
  stop(): Promise<void>;
  /** Starts it again on the same databases, once it answers. */
  start(): Promise<void>;
}

/**
 * Starts the server on Temporal databases already set up, and registers `namespace` on first use.
 * The server's log goes to `logFile`.
 */
export async function startTemporalCluster(options: {
  build: TemporalServerBuild;
  pg: PostgresEndpoint;
  ports: ClusterPorts;
  dir: string;
  namespace: string;
  logFile: string;
}): Promise<TemporalCluster> {
  const dynamicConfig = join(options.dir, 'dynamicconfig.yaml');
  // Search attributes registered by the script are usable at once, as on the dev server.
  await writeFile(dynamicConfig, 'system.forceSearchAttributesCacheRefreshOnRead:\n  - value: true\n');
  const configFile = join(options.dir, 'temporal-server.yaml');
  // YAML is a superset of JSON.
  await writeFile(configFile, JSON.stringify(serverConfig(options.pg, options.ports, dynamicConfig), null, 2));
  const address = `127.0.0.1:${options.ports.frontend}`;
  let child: ChildProcess;
  const start = async () => {
    const log = await open(options.logFile, 'a');
    child = spawn(options.build.server, ['--config-file', configFile, '--allow-no-auth', 'start'], { stdio: ['ignore', log.fd, log.fd] });
    child.once('spawn', () => void log.close());
    await waitForFrontend(address, child, options.logFile);
  };
  const stop = () =>
    new Promise<void>((done) => {
      if (child.exitCode !== null || child.signalCode !== null) return done();
      child.once('exit', () => done());
      child.kill('SIGTERM');
    });
  await start();
  await ensureNamespace(address, options.namespace);
  return { address, start, stop };
}

async function waitForFrontend(address: string, child: ChildProcess, logFile: string): Promise<void> {
  for (let i = 0; i < 240; i++) {
    if (child.exitCode !== null) throw new Error(`the Temporal server exited (code ${child.exitCode}); the end of its log (${logFile}):\n${await lastLines(logFile, 5)}`);
    const connection = await Connection.connect({ address, connectTimeout: 1000 }).catch(() => null);
    if (connection) {
      const healthy = await connection.healthService.check({}).then((r) => r.status === 1, () => false);
      await connection.close();
      if (healthy) return;
    }
    await new Promise((r) => setTimeout(r, 500));
  }
  throw new Error(`the Temporal server did not answer on ${address} within 120 s; its log is ${logFile}`);
}

/** The server's last log lines, as `level: message: error` (its lines are JSON with stack traces). */
async function lastLines(file: string, count: number): Promise<string> {
  const lines = (await readFile(file, 'utf8').catch(() => '')).trimEnd().split('\n').slice(-count);
  return lines.map((line) => {
    try {
      const entry = JSON.parse(line) as { level?: string; msg?: string; error?: string };
      return [entry.level, entry.msg, entry.error].filter(Boolean).join(': ');
    } catch {
      return line;
    }
  }).join('\n');
}

const ALREADY_EXISTS = 6;

/**
 * A real server starts with no namespace but its own system one: register it, then wait until
 * its services have it in their namespace caches (a visibility count goes through them).
 */
async function ensureNamespace(address: string, namespace: string): Promise<void> {
  const connection = await Connection.connect({ address });
  try {
    await connection.workflowService.registerNamespace({ namespace, workflowExecutionRetentionPeriod: msToTs('3 days') }).catch((err) => {
      if ((err as { code?: number }).code !== ALREADY_EXISTS) throw err;
    });
    for (let i = 0; ; i++) {
      const known = await connection.workflowService.countWorkflowExecutions({ namespace }).then(() => true, () => false);
      if (known) return;
      if (i > 60) throw new Error(`the namespace ${namespace} is still unknown 30 s after it was registered`);
      await new Promise((r) => setTimeout(r, 500));
    }
  } finally {
    await connection.close();
  }
}
