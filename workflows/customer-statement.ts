import { CancellationScope, condition, getExternalWorkflowHandle, isCancellation, patched, proxyActivities, setHandler, workflowInfo } from '@temporalio/workflow';
import type { createStatementActivities } from '../activities/statements.js';
import { dunningWorkflowId, emailTaskQueue } from './ids.js';
import { invoiceChangedSignal, statementJoinedSignal, statementOutcomeSignal } from './messages.js';
import { SEND_RETRY } from './retry-policies.js';

// The invoices of one customer due the same day wake at the same send hour, within seconds of each
// other: the statement goes out once none has joined for this long.
const QUIET = '1 minute';

/**
 * One customer's statement: gathers the invoices whose reminders fall due together, sends them as
 * one e-mail, and tells each invoice's workflow what became of its level. Cancelled while it
 * gathers, it is not sent and its invoices are paused; once sending began, it finishes.
 */
export async function customerStatement(input: { statementId: number }): Promise<{ sent: number }> {
  let joins = 0;
  setHandler(statementJoinedSignal, () => void joins++);
  try {
    let seen: number;
    do seen = joins;
    while (await condition(() => joins !== seen, QUIET));
  } catch (err) {
    if (!isCancellation(err) || !patched('statement-cancellable')) throw err;
    await CancellationScope.nonCancellable(async () => {
      const { cancelStatement } = proxyActivities<ReturnType<typeof createStatementActivities>>({ startToCloseTimeout: '1 minute', retry: SEND_RETRY });
      const paused = await cancelStatement({ statementId: input.statementId, actor: 'operator (Temporal)' });
      await Promise.all(paused.map((invoiceId) => getExternalWorkflowHandle(dunningWorkflowId(invoiceId)).signal(invoiceChangedSignal).catch(() => undefined)));
    });
    throw err;
  }
  // Aborted halfway, reminders would be sent with their invoices never told.
  return CancellationScope.nonCancellable(() => send(input.statementId));
}

async function send(statementId: number): Promise<{ sent: number }> {
  const { sendStatement } = proxyActivities<ReturnType<typeof createStatementActivities>>({
    taskQueue: emailTaskQueue(workflowInfo().taskQueue),
    startToCloseTimeout: '1 minute',
    retry: SEND_RETRY,
  });
  const outcomes = await sendStatement({ statementId, at: Date.now() });
  await Promise.all(
    outcomes.map(({ invoiceId, outcome }) => getExternalWorkflowHandle(dunningWorkflowId(invoiceId)).signal(statementOutcomeSignal, outcome).catch(() => undefined)),
  );
  return { sent: outcomes.filter((o) => o.outcome.status === 'sent').length };
}
