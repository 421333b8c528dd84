import { execFile } from 'node:child_process';
import { mkdir } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { isExecutable } from './temporal-binaries.js';

const run = promisify(execFile);

// Stripe's official mock of its API, pinned to the version whose OpenAPI matches the SDK's API version.
const MODULE = 'github.com/stripe/stripe-mock';
const VERSION = 'v0.203.0';

/** stripe-mock, built once from the Go module proxy into `.tools/` (the tests talk to it instead of api.stripe.com). */
export async function ensureStripeMock(options: { toolsDir: string; env: Record<string, string | undefined>; log?: (line: string) => void }): Promise<string> {
  const dir = resolve(options.toolsDir, `stripe-mock-${VERSION}`);
  const target = join(dir, 'stripe-mock');
  if (await isExecutable(target)) return target;
  await mkdir(dir, { recursive: true });
  options.log?.(`Building stripe-mock ${VERSION} (go install ${MODULE}) into ${dir} …`);
  try {
    await run('go', ['install', `${MODULE}@${VERSION}`], { env: { ...options.env, GOBIN: dir }, maxBuffer: 1 << 24 });
  } catch (err) {
    const reason = (err as NodeJS.ErrnoException).code === 'ENOENT' ? 'Go is not installed (apt-get install golang-go)' : (err as Error).message;
    throw new Error(`Could not build stripe-mock: ${reason}`);
  }
  return target;
}
