import { randomUUID } from 'node:crypto';
import type { Client } from '@temporalio/client';

/**
 * Ends every running workflow a measurement left, in one batch operation on the server: the next
 * measurement starts on a namespace as empty as the first one did.
 */
export async function terminateRunning(client: Client, query: string): Promise<void> {
  const running = `(${query}) AND ExecutionStatus = "Running"`;
  if ((await client.workflow.count(running)).count === 0) return;
  await client.workflowService.startBatchOperation({
    namespace: client.options.namespace, jobId: randomUUID(), visibilityQuery: running, reason: 'benchmark measured', terminationOperation: {},
  });
  for (let i = 0; (await client.workflow.count(running)).count > 0; i++) {
    if (i > 600) throw new Error(`workflows still running after 10 minutes: ${running}`);
    await new Promise((r) => setTimeout(r, 1000));
  }
}
