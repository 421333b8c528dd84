import { readdir, readFile } from 'node:fs/promises';
import { Worker } from '@temporalio/worker';
import proto from '@temporalio/proto';
import { beforeAll, expect, it } from 'vitest';
import { workflowBundle } from '../helpers/temporal.js';

// Histories recorded from earlier versions of the workflow: a change that would break running
// workflows (non-determinism) fails here before it ships. A change of the workflow adds a history
// (RECORD_HISTORIES=<date>-<change> npm test -- invoice-dunning), never overwriting one.
const dir = new URL('../fixtures/histories/', import.meta.url);
let bundle: Awaited<ReturnType<typeof workflowBundle>>;
beforeAll(async () => {
  bundle = await workflowBundle();
});

it('replays every recorded invoice-dunning history without non-determinism', async () => {
  const files = (await readdir(dir)).filter((f) => f.endsWith('.pb'));
  expect(files.length).toBeGreaterThan(0);
  for (const file of files) {
    const history = proto.temporal.api.history.v1.History.decode(await readFile(new URL(file, dir)));
    await expect(Worker.runReplayHistory({ workflowBundle: bundle, replayName: file }, history), file).resolves.toBeUndefined();
  }
});
