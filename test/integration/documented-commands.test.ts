import { execFileSync, spawn } from 'node:child_process';
import { cpSync, mkdirSync, readFileSync, symlinkSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { afterAll, beforeAll, expect, inject, it } from 'vitest';
import { startDevServer, type DevServer } from '../../scripts/temporal-dev-server.js';
import { childEnvironment } from '../../platform/config.js';
import { freshDatabase } from '../helpers/database.js';
import { freePort } from '../helpers/ports.js';

// Every command of package.json, run for its first seconds in a fresh copy of the tree (what a
// clone has: no .data, no .tools, no dist), as a person does after cloning. `npm start` has its own
// test (start.test.ts) and `npm test` is the run itself.
const OWN_TESTS = new Set(['start', 'test', 'postinstall']);
/** Long-running commands: still running after these seconds, or ended well, with no error printed. */
const FIRST_SECONDS = 25_000;

let clone: string;
let db: Awaited<ReturnType<typeof freshDatabase>>;
let temporal: DevServer;
const scripts = Object.keys((JSON.parse(readFileSync('package.json', 'utf8')) as { scripts: Record<string, string> }).scripts);

beforeAll(async () => {
  clone = await mkdtemp(join(tmpdir(), 'relance-clone-'));
  const files = execFileSync('git', ['ls-files', '--cached', '--others', '--exclude-standard', '-z'], { encoding: 'utf8' }).split('\0').filter(Boolean);
  for (const file of files) {
    mkdirSync(dirname(join(clone, file)), { recursive: true });
    cpSync(file, join(clone, file), { verbatimSymlinks: true });
  }
  // What `npm install` gives a clone; the install itself is what .ci/run does first.
  symlinkSync(resolve('node_modules'), join(clone, 'node_modules'));
  [db, temporal] = await Promise.all([
    freshDatabase(),
    startDevServer({ cli: inject('temporalCliPath'), dbFile: join(clone, 'temporal-test.db'), port: await freePort(), uiPort: await freePort(), namespace: 'default', output: 'ignore' }),
  ]);
}, 180_000);
afterAll(async () => {
  await temporal?.connection.close();
  await temporal?.stop();
  await db?.drop();
  await rm(clone, { recursive: true, force: true });
});

interface Outcome {
  /** The exit code when it ended within its time, null when it was still running. */
  code: number | null;
  output: string;
}

/** Runs `npm run <name>` in the clone, in a process group of its own, stopped (with everything it started) after `ms`. */
function firstSeconds(name: string, env: Record<string, string>, ms: number, until?: (output: string) => boolean): Promise<Outcome> {
  return new Promise((done) => {
    const child = spawn('npm', ['run', '--silent', name], { cwd: clone, detached: true, env: childEnvironment(env), stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    let ended = false;
    const stopGroup = () => {
      if (ended) return;
      try {
        process.kill(-child.pid!, 'SIGTERM');
      } catch {
        // the group is gone
      }
      setTimeout(() => {
        try {
          process.kill(-child.pid!, 'SIGKILL');
        } catch {
          // the group is gone
        }
      }, 10_000).unref();
    };
    const onOutput = (chunk: Buffer) => {
      output += chunk.toString();
      if (until?.(output)) stopGroup();
    };
    child.stdout.on('data', onOutput);
    child.stderr.on('data', onOutput);
    const timer = setTimeout(stopGroup, ms);
    let code: number | null = null;
    child.once('exit', (exitCode, signal) => {
      code = signal ? null : exitCode;
    });
    child.once('close', () => {
      ended = true;
      clearTimeout(timer);
      // Whatever the command started (PostgreSQL, the Temporal server) goes with it.
      stopGroup();
      done({ code, output });
    });
  });
}

const ERROR_LINE = /\b(ENOENT|EACCES|ERR!|Cannot find|TypeError|ReferenceError|SyntaxError)\b|^Error\b/m;

it('covers every command of package.json', () => {
  expect(scripts.filter((s) => !OWN_TESTS.has(s)).sort()).toEqual(
    ['bench', 'build:workflows', 'drill:cluster', 'migrate', 'soak', 'typecheck', 'web', 'worker'],
  );
});

it('runs each command on a fresh clone: the one-shot ones to their end, the long ones through their first seconds, none printing an error', async () => {
  const services = { DATABASE_URL: db.url, TEMPORAL_ADDRESS: temporal.address, TEMPORAL_TASK_QUEUE: 'clone', API_TOKEN: 'c'.repeat(32), LOG_LEVEL: 'warn' };
  const webPort = String(await freePort());
  // The bench and the soak fetch the same Temporal CLI into the clone's .tools: one after the other, as a person runs them.
  const benchThenSoak = async () => [await firstSeconds('bench', {}, FIRST_SECONDS), await firstSeconds('soak', {}, FIRST_SECONDS)] as const;
  const [migrate, typecheck, bundle, [bench, soak], drill, worker, web] = await Promise.all([
    firstSeconds('migrate', services, 120_000),
    firstSeconds('typecheck', {}, 180_000),
    firstSeconds('build:workflows', {}, 180_000),
    benchThenSoak(),
    firstSeconds('drill:cluster', {}, FIRST_SECONDS),
    firstSeconds('worker', services, FIRST_SECONDS),
    firstSeconds('web', { ...services, LOG_LEVEL: 'info', WEB_PORT: webPort, ADMIN_PASSWORD: 'a long enough password' }, FIRST_SECONDS, (output) => output.includes('web server listening')),
  ]);
  expect(migrate, migrate.output).toMatchObject({ code: 0, output: expect.stringMatching(/applied: 0001|up to date/) });
  expect(typecheck, typecheck.output).toMatchObject({ code: 0 });
  expect(bundle, bundle.output).toMatchObject({ code: 0, output: expect.stringMatching(/workflow bundle written to .*dist\/workflow-bundle.js/) });
  for (const [name, long] of Object.entries({ bench, soak, drill, worker, web })) {
    expect(long.code === null || long.code === 0, `${name} ended with ${long.code}:\n${long.output}`).toBe(true);
    expect(long.output, name).not.toMatch(ERROR_LINE);
  }
  expect(web.output).toContain('web server listening');
}, 300_000);
