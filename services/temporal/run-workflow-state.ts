import { WorkflowNotFoundError, type Client } from '@temporalio/client';
import { withinDeadline } from './dunning-client.js';

/**
 * Where an unfinished run's workflow stands, so a page never shows a run as under way when it is
 * not: running; waiting to be started (written while the engine was unreachable: the repair pass
 * starts it); closed before the run was done (terminated, failed…); or unknown when the engine
 * does not answer.
 */
export type RunWorkflowState = { state: 'running' | 'waiting' | 'unknown' } | { state: 'closed'; status: string };

export async function runWorkflowState(deps: { temporal: Client }, workflowId: string): Promise<RunWorkflowState> {
  try {
    const { status } = await withinDeadline(deps.temporal, () => deps.temporal.workflow.getHandle(workflowId).describe());
    return status.name === 'RUNNING' ? { state: 'running' } : { state: 'closed', status: status.name };
  } catch (err) {
    return { state: err instanceof WorkflowNotFoundError ? 'waiting' : 'unknown' };
  }
}
