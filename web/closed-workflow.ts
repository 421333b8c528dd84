import { withinDeadline } from '../activities/dunning-client.js';
import type { WebDeps } from './deps.js';

/**
 * The status of a run's workflow that closed before the run was done (terminated, failed…), so a
 * page stops showing the run as under way; null while it runs, or when the engine does not answer.
 */
export async function closedWorkflowStatus(deps: WebDeps, workflowId: string): Promise<string | null> {
  try {
    const { status } = await withinDeadline(deps.temporal, () => deps.temporal.workflow.getHandle(workflowId).describe());
    return status.name === 'RUNNING' ? null : status.name;
  } catch {
    return null;
  }
}
