import { WorkflowNotFoundError, type Client } from '@temporalio/client';
import { stateQuery, type DunningState } from '../../workflows/messages.js';
import { dunningWorkflowId, isEngineUnreachable, withinDeadline } from './dunning-client.js';

export interface LiveDunning {
  workflowId: string;
  runStatus: string;
  state: DunningState | null;
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
    const state = description.status.name === 'RUNNING' ? await withinDeadline(deps.temporal, () => handle.query(stateQuery)) : null;
    return {
      workflowId,
      runStatus: description.status.name,
      state,
      temporalUiUrl: `${deps.temporalUiUrl}/namespaces/${encodeURIComponent(deps.namespace)}/workflows/${encodeURIComponent(workflowId)}`,
    };
  } catch (err) {
    if (err instanceof WorkflowNotFoundError) return null;
    if (isEngineUnreachable(err)) return 'unavailable';
    throw err;
  }
}
