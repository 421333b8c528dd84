import { spawn, type ChildProcess } from 'node:child_process';
import { Connection } from '@temporalio/client';
import { searchAttributeDefinitions } from '../workflows/search-attributes.js';
import { registerSearchAttributes } from '../services/temporal/search-attributes-admin.js';

export interface DevServer {
  address: string;
  connection: Connection;
  stop(): Promise<void>;
  /** Settles when the server's process ends, saying how ("code 1", "SIGKILL"). */
  exited: Promise<string>;
}

/**
 * The Temporal dev server persisted to one SQLite file, with Relance's search attributes.
 * WAL with synchronous=NORMAL survives a crash of the process (only a power cut can lose the
 * last commits), and lets the server write several times faster than SQLite's defaults.
 */
export async function startDevServer(options: {
  cli: string;
  dbFile: string;
  port: number;
  uiPort: number;
  namespace: string;
  /** Where the server's own log goes: the terminal, nowhere, or an open file's descriptor. */
  output?: 'inherit' | 'ignore' | number;
}): Promise<DevServer> {
  const args = [
    'server', 'start-dev',
    '--db-filename', options.dbFile,
    '--sqlite-pragma', 'journal_mode=wal',
    '--sqlite-pragma', 'synchronous=normal',
    '--ip', '127.0.0.1',
    '--port', String(options.port),
    '--ui-port', String(options.uiPort),
    '--namespace', options.namespace,
    '--log-level', 'error',
    ...Object.entries(searchAttributeDefinitions).flatMap(([name, type]) => ['--search-attribute', `${name}=${type}`]),
  ];
  const child = spawn(options.cli, args, { stdio: ['ignore', options.output ?? 'inherit', options.output ?? 'inherit'] });
  const stop = () =>
    new Promise<void>((done) => {
      if (child.exitCode !== null || child.signalCode !== null) return done();
      child.once('exit', () => done());
      child.kill('SIGTERM');
    });
  const address = `127.0.0.1:${options.port}`;
  const exited = new Promise<string>((done) => child.once('exit', (code, signal) => done(signal ?? `code ${code}`)));
  try {
    const connection = await waitForServer(address, child);
    await registerSearchAttributes(connection, options.namespace);
    return { address, connection, stop, exited };
  } catch (err) {
    await stop();
    throw err;
  }
}

async function waitForServer(address: string, child: ChildProcess): Promise<Connection> {
  for (let i = 0; i < 120; i++) {
    if (child.exitCode !== null) throw new Error(`the Temporal dev server exited (code ${child.exitCode}); see its output above`);
    try {
      return await Connection.connect({ address, connectTimeout: 1000 });
    } catch {
      await new Promise((r) => setTimeout(r, 500));
    }
  }
  throw new Error(`the Temporal dev server did not answer on ${address} within 60 s`);
}
