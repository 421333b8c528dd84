// The engine floor's worker process: the real worker's runtime, connection and tuning, over a
// workflow with none of Relance's work. `tsx bench/floor/worker.ts <count> <prefix> [replans]` starts that many
// workflows as the real worker starts its invoices' (eagerly, as many at once), then, on a line on
// stdin, asks each as a bulk run does (an update each, as many at once) and prints how long it took.
import { Client, WorkflowIdConflictPolicy } from '@temporalio/client';
import { Worker } from '@temporalio/worker';
import { once } from 'node:events';
import { loadConfig } from '../../platform/config.js';
import { connectWorker } from '../../platform/temporal-connection.js';
import { eachConcurrently } from '../../workflows/each-concurrently.js';
import { customerIdKey, invoiceNumberKey } from '../../workflows/search-attributes.js';
import { installQuietRuntime, WORKFLOW_TASK_TUNING } from '../../worker/create-worker.js';
import { engineFloor, floorSendUpdate } from './workflows.js';

// A bulk run asks four slices at a time, sixteen invoices at once in each.
const ASKS_AT_ONCE = 64;

async function main(): Promise<void> {
  const [count, prefix, replans] = [Number(process.argv[2]), process.argv[3] ?? 'FLOOR', process.argv[4] === 'replans'];
  const config = loadConfig();
  installQuietRuntime();
  const connection = await connectWorker(config.temporal);
  const taskQueue = `${prefix.toLowerCase()}-floor`;
  const worker = await Worker.create({
    connection, namespace: config.temporal.namespace, taskQueue,
    workflowBundle: { codePath: config.temporal.workflowBundle! },
    activities: { nothing: async () => undefined },
    ...WORKFLOW_TASK_TUNING,
    maxCachedWorkflows: config.temporal.maxCachedWorkflows,
  });
  const client = new Client({ connection, namespace: config.temporal.namespace });
  const running = worker.run();
  const ids = Array.from({ length: count }, (_, n) => `${prefix}-${n + 1}`);
  await eachConcurrently(ids, async (id) => {
    await client.workflow.start(engineFloor, {
      args: [{ replans }], workflowId: id, taskQueue, requestEagerStart: true, workflowIdConflictPolicy: WorkflowIdConflictPolicy.FAIL,
      typedSearchAttributes: [{ key: invoiceNumberKey, value: id }, { key: customerIdKey, value: prefix }],
    });
  });
  await once(process.stdin, 'data');
  const started = Date.now();
  await eachConcurrently(ids, async (id) => void (await client.workflow.getHandle(id).executeUpdate(floorSendUpdate)), undefined, ASKS_AT_ONCE);
  process.stdout.write(`${JSON.stringify({ updateSeconds: (Date.now() - started) / 1000 })}\n`);
  // The bench stops this process now; its workflows wait on, as invoices' do.
  await running;
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
