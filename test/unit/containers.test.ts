import { execFileSync, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join, resolve } from 'node:path';
import { beforeAll, expect, it } from 'vitest';
import { searchAttributeDefinitions } from '../../workflows/search-attributes.js';

// No Docker engine runs here: the compose file is checked by compose-go (what Docker Compose is
// built on, from the Go module proxy), built once into a cache outside the clone.
const CHECKER_DIR = resolve('scripts/compose-check');
let checker: string;

beforeAll(() => {
  const sources = ['go.mod', 'go.sum', 'main.go'].map((f) => readFileSync(join(CHECKER_DIR, f))).reduce((h, b) => h.update(b), createHash('sha256')).digest('hex').slice(0, 16);
  const cache = join(process.env.XDG_CACHE_HOME ?? join(homedir(), '.cache'), 'relance');
  checker = join(cache, `compose-check-${sources}`);
  if (!existsSync(checker)) {
    mkdirSync(cache, { recursive: true });
    execFileSync('go', ['build', '-o', checker, '.'], { cwd: CHECKER_DIR, stdio: 'inherit', env: { ...process.env, GOFLAGS: '-mod=readonly' } });
  }
}, 600_000);

const check = (env: Record<string, string>) => {
  const run = spawnSync(checker, ['docker-compose.yml'], { encoding: 'utf8', env: { PATH: process.env.PATH ?? '', ...env } });
  return { ok: run.status === 0, output: `${run.stdout}${run.stderr}` };
};
const secrets = { RELANCE_DB_PASSWORD: 'a-database-password', TEMPORAL_DB_PASSWORD: 'another-password', API_TOKEN: 'x'.repeat(32) };
const compose = readFileSync('docker-compose.yml', 'utf8');

it('is a valid compose file, and refuses to start without its secrets, naming each', () => {
  expect(check(secrets)).toMatchObject({ ok: true, output: expect.stringContaining('valid, 10 services') });
  const missing = check({ API_TOKEN: secrets.API_TOKEN });
  expect(missing.ok).toBe(false);
  expect(missing.output).toContain('required variable RELANCE_DB_PASSWORD is missing a value');
  expect(missing.output).toContain('required variable TEMPORAL_DB_PASSWORD is missing a value');
});

it('pins every image, hides no failure, publishes no unauthenticated Temporal port, and gives the app services healthchecks', () => {
  const images = [...compose.matchAll(/^\s+image: (\S+)$/gm)].map((m) => m[1]!);
  expect(images.length).toBeGreaterThan(0);
  for (const image of images) expect(image, image).toMatch(/:\d+\.\d+(\.\d+)?$/);
  expect(images.some((i) => i.startsWith('temporalio/auto-setup'))).toBe(false);
  expect(compose).not.toContain('|| true');
  expect(compose).not.toMatch(/ports: \[?"?7233/);
  for (const service of ['worker', 'web']) expect(compose.split(`\n  ${service}:\n`)[1]!.split(/\n {2}\S/)[0]).toContain('healthcheck:');
});

it('builds an image whose worker finds everything it imports: runtime dependencies from the lockfile, Chromium, a supported Node', () => {
  const dockerfile = readFileSync('Dockerfile', 'utf8');
  expect(dockerfile).toMatch(/^FROM node:2[2-9]\.\d+\.\d+-/m);
  expect(dockerfile).toContain('npm ci --omit=dev');
  expect(dockerfile).toMatch(/apt-get install .*chromium/);
  const pkg = JSON.parse(readFileSync('package.json', 'utf8')) as { dependencies: Record<string, string> };
  for (const runtime of ['playwright-core', 'tsx', '@temporalio/worker']) expect(pkg.dependencies, runtime).toHaveProperty(runtime);
});

it('registers all seven search attributes from one script, within what SQL visibility stores allow', () => {
  expect(Object.keys(searchAttributeDefinitions)).toHaveLength(7);
  // PostgreSQL visibility keeps three Int attributes per namespace.
  expect(Object.values(searchAttributeDefinitions).filter((t) => t === 'Int').length).toBeLessThanOrEqual(3);
  expect(compose).toContain('scripts/register-search-attributes.ts');
});
