import { bundleWorkflowCode, DefaultLogger } from '@temporalio/worker';
import { mkdir, writeFile } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { workflowsPath } from './create-worker.js';

/** Bundles the workflow code once, so workers load it instead of running webpack at every start. */
export async function buildWorkflowBundle(target: string): Promise<string> {
  const { code } = await bundleWorkflowCode({ workflowsPath, logger: new DefaultLogger('WARN') });
  const path = resolve(target);
  await mkdir(dirname(path), { recursive: true });
  await writeFile(path, code);
  return path;
}
