import { spawn, type ChildProcess } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { freePort } from '../test/helpers/ports.js';
import { childEnvironment } from '../platform/config.js';

export async function peakRssMb(pid: number): Promise<number> {
  const status = await readFile(`/proc/${pid}/status`, 'utf8');
  return Number(/VmHWM:\s+(\d+) kB/.exec(status)?.[1] ?? 0) / 1024;
}

export function stopChild(child: ChildProcess): Promise<void> {
  return new Promise((done) => {
    if (child.exitCode !== null) return done();
    child.once('exit', () => done());
    child.kill('SIGTERM');
  });
}

/** The real web server as its own process, up and signed in as an admin. */
export async function startWebProcess(opts: { databaseUrl: string; temporalAddress: string; apiToken: string; env?: Record<string, string> }) {
  const port = await freePort();
  const base = `http://127.0.0.1:${port}`;
  const password = 'bench password long enough';
  const web = spawn(process.execPath, ['--import', 'tsx', 'web/main.ts'], {
    stdio: ['ignore', 'ignore', 'inherit'],
    env: childEnvironment({
      DATABASE_URL: opts.databaseUrl, TEMPORAL_ADDRESS: opts.temporalAddress, API_TOKEN: opts.apiToken, LOG_LEVEL: 'warn',
      WEB_PORT: String(port), WEB_HOST: '127.0.0.1', PUBLIC_URL: base, ADMIN_EMAIL: 'bench@relance.test', ADMIN_PASSWORD: password, ...opts.env,
    }),
  });
  try {
    for (let i = 0; (await fetch(`${base}/health`).catch(() => null))?.ok !== true; i++) {
      if (i > 300) throw new Error('the web server did not come up in 30 s');
      await new Promise((r) => setTimeout(r, 100));
    }
    const login = await fetch(`${base}/login`, {
      method: 'POST', redirect: 'manual',
      headers: { 'content-type': 'application/x-www-form-urlencoded', origin: base },
      body: new URLSearchParams({ email: 'bench@relance.test', password }),
    });
    // The session's cookie, whichever order the answer sets its cookies in (a device cookie comes too).
    const session = login.headers.getSetCookie().find((c) => c.startsWith('relance_session='));
    if (!session) throw new Error(`signing in to the web process failed (${login.status})`);
    return { base, cookie: session.split(';')[0]!, stop: () => stopChild(web) };
  } catch (err) {
    await stopChild(web);
    throw err;
  }
}

/** The worker as its own process on a prebuilt bundle: it starts every open invoice's workflow as it comes up. */
export function startWorkerProcess(o: { databaseUrl: string; temporalAddress: string; apiToken: string; bundle: string; env?: Record<string, string> }): ChildProcess {
  return spawn(process.execPath, ['--import', 'tsx', 'worker/main.ts'], {
    stdio: ['ignore', 'ignore', 'inherit'],
    env: childEnvironment({ DATABASE_URL: o.databaseUrl, TEMPORAL_ADDRESS: o.temporalAddress, API_TOKEN: o.apiToken, LOG_LEVEL: 'warn', WORKFLOW_BUNDLE: o.bundle, ...o.env }),
  });
}
