// The worker container's healthcheck: the Temporal server answers and Relance's task queue has a
// worker polling it.
import proto from '@temporalio/proto';
import { loadConfig } from '../platform/config.js';
import { connectClient } from '../platform/temporal-connection.js';

const config = loadConfig();
const connection = await connectClient(config.temporal);
try {
  const { pollers } = await connection.workflowService.describeTaskQueue({
    namespace: config.temporal.namespace,
    taskQueue: { name: config.temporal.taskQueue },
    taskQueueType: proto.temporal.api.enums.v1.TaskQueueType.TASK_QUEUE_TYPE_WORKFLOW,
  });
  if (!pollers?.length) throw new Error(`no worker polls the task queue ${config.temporal.taskQueue}`);
} finally {
  await connection.close();
}
