import { readFileSync } from 'node:fs';
import { readdir, readFile } from 'node:fs/promises';
import { Worker } from '@temporalio/worker';
import proto from '@temporalio/proto';
import { beforeAll, expect, it } from 'vitest';
import { workflowBundle } from '../helpers/temporal.js';

// Histories recorded from earlier versions of each workflow type (invoice dunning and its paths,
// bulk runs, SEPA runs, statements, late-charge notes, collection snapshots): a change that would break running workflows
// (non-determinism) fails here before it ships. A change of a workflow adds histories
// (RECORD_HISTORIES=<date>-<change> npm test -- <its test files>), never overwriting one.
const dir = new URL('../fixtures/histories/', import.meta.url);
let bundle: Awaited<ReturnType<typeof workflowBundle>>;
beforeAll(async () => {
  bundle = await workflowBundle();
});

it('replays every recorded history, of every workflow type, without non-determinism', async () => {
  const files = (await readdir(dir)).filter((f) => f.endsWith('.pb'));
  const types = new Set(files.map((f) => proto.temporal.api.history.v1.History.decode(readFileSync(new URL(f, dir))).events[0]?.workflowExecutionStartedEventAttributes?.workflowType?.name));
  expect([...types].sort()).toEqual(['bulkRun', 'collectionSnapshot', 'customerStatement', 'dailyReviewPass', 'dunningRepairPass', 'invoiceDunning', 'lateChargeNote', 'sepaRun']);
  for (const file of files) {
    const history = proto.temporal.api.history.v1.History.decode(await readFile(new URL(file, dir)));
    await expect(Worker.runReplayHistory({ workflowBundle: bundle, replayName: file }, history), file).resolves.toBeUndefined();
  }
});
