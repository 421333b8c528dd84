import { condition, getExternalWorkflowHandle, proxyActivities, setHandler, workflowInfo } from '@temporalio/workflow';
import type { createStatementActivities } from '../activities/statements.js';
import { dunningWorkflowId, emailTaskQueue } from './ids.js';
import { statementJoinedSignal, statementOutcomeSignal } from './messages.js';
import { SEND_RETRY } from './retry-policies.js';

// The invoices of one customer due the same day wake at the same send hour, within seconds of each
// other: the statement goes out once none has joined for this long.
const QUIET = '1 minute';

/**
 * One customer's statement: gathers the invoices whose reminders fall due together, sends them as
 * one e-mail, and tells each invoice's workflow what became of its level.
 */
export async function customerStatement(input: { statementId: number }): Promise<{ sent: number }> {
  let joins = 0;
  setHandler(statementJoinedSignal, () => void joins++);
  let seen: number;
  do seen = joins;
  while (await condition(() => joins !== seen, QUIET));

  const { sendStatement } = proxyActivities<ReturnType<typeof createStatementActivities>>({
    taskQueue: emailTaskQueue(workflowInfo().taskQueue),
    startToCloseTimeout: '1 minute',
    retry: SEND_RETRY,
  });
  const outcomes = await sendStatement({ statementId: input.statementId, at: Date.now() });
  await Promise.all(
    outcomes.map(({ invoiceId, outcome }) => getExternalWorkflowHandle(dunningWorkflowId(invoiceId)).signal(statementOutcomeSignal, outcome).catch(() => undefined)),
  );
  return { sent: outcomes.filter((o) => o.outcome.status === 'sent').length };
}
