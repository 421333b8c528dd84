import { writeFile } from 'node:fs/promises';
import proto from '@temporalio/proto';
import type { WorkflowHandle } from '@temporalio/client';

/**
 * With RECORD_HISTORIES=<date>-<change>, keeps the workflow's history as
 * test/fixtures/histories/<name>-<date>-<change>.pb for replay.test.ts: one file per workflow type,
 * path and change, never overwritten (a second recording under the same name fails).
 */
export async function recordHistory(handle: WorkflowHandle, name: string): Promise<void> {
  const change = process.env.RECORD_HISTORIES;
  if (!change) return;
  const history = await handle.fetchHistory();
  const file = new URL(`../fixtures/histories/${name}-${change}.pb`, import.meta.url);
  await writeFile(file, proto.temporal.api.history.v1.History.encode(history).finish(), { flag: 'wx' });
}
