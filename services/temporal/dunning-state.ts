import { WorkflowNotFoundError, type Client, type WorkflowHandle } from '@temporalio/client';
import { stateQuery, type DunningState } from '../../workflows/messages.js';
import { dunningWorkflowId, isEngineDown, isEngineUnreachable, withinDeadline } from './dunning-client.js';

export interface LiveDunning {
  workflowId: string;
  runStatus: string;
  /** Null when the workflow is not running, or when it did not answer (see stateUnanswered). */
  state: DunningState | null;
  /** Running, but its worker did not answer the state query in time (busy, stopped, or its first task not done). */
  stateUnanswered: boolean;
  temporalUiUrl: string;
}

/**
 * The workflow's own view of the invoice, with a link to it in the Temporal UI; null when it has
 * none, 'unavailable' when the engine cannot be reached within a few seconds.
 */
export async function liveDunningState(deps: { temporal: Client; temporalUiUrl: string; namespace: string }, invoiceId: number): Promise<LiveDunning | null | 'unavailable'> {
  const workflowId = dunningWorkflowId(invoiceId);
  const handle = deps.temporal.workflow.getHandle(workflowId);
  try {
    const description = await withinDeadline(deps.temporal, () => handle.describe());
    const running = description.status.name === 'RUNNING';
    const state = running ? await stateOf(deps.temporal, handle) : null;
    return {
      workflowId,
      runStatus: description.status.name,
      state: state === 'unanswered' ? null : state,
      stateUnanswered: state === 'unanswered',
      temporalUiUrl: `${deps.temporalUiUrl}/namespaces/${encodeURIComponent(deps.namespace)}/workflows/${encodeURIComponent(workflowId)}`,
    };
  } catch (err) {
    if (err instanceof WorkflowNotFoundError) return null;
    if (isEngineUnreachable(err)) return 'unavailable';
    throw err;
  }
}

/**
 * The engine answered the description, so a failed query is the worker's side: none polling, busy,
 * or the first task not yet done. The page still shows the run, saying its state did not answer.
 */
async function stateOf(client: Client, handle: WorkflowHandle): Promise<DunningState | 'unanswered'> {
  try {
    return await withinDeadline(client, () => handle.query(stateQuery));
  } catch (err) {
    if (err instanceof WorkflowNotFoundError || isEngineDown(err)) throw err;
    return 'unanswered';
  }
}
