import { Context } from '@temporalio/activity';
import { WorkflowNotFoundError, type Client } from '@temporalio/client';
import type { Sql } from '../db/client.js';
import { insertEventsOfKind } from '../db/queries/events.js';
import { openInvoiceRefs, recordOperatorStop, settledInvoiceIds } from '../db/queries/invoices.js';
import { dunningWorkflowId, invoiceIdOfWorkflow } from '../workflows/ids.js';
import { invoiceChangedSignal } from '../workflows/messages.js';
import { eachConcurrently } from '../workflows/each-concurrently.js';
import { ensureDunningWorkflows } from '../services/temporal/dunning-client.js';
import { resumeUnstartedRuns } from '../services/temporal/run-client.js';

export interface RepairReport {
  /** Open invoices that should be chased (not stopped by an operator). */
  checked: number;
  /** Workflows started: the invoice had none, or its last one ended while it was still open. */
  started: number;
  /** Workflows found terminated (or cancelled unrecorded) by an operator: the invoice is now stopped. */
  stopped: number;
  /** Running workflows of invoices paid or cancelled meanwhile (their signal was lost in an outage): woken to end. */
  woken: number;
}

/**
 * The repair pass: every open invoice has a running workflow, unless an operator stopped it. One
 * visibility query lists the running ones; of the invoices missing from it, only those that had a
 * workflow are looked at one by one.
 */
export async function repairDunningWorkflows(deps: { sql: Sql; temporal: Client; taskQueue: string; eager?: boolean }): Promise<RepairReport> {
  const { sql, temporal, taskQueue } = deps;
  const open = await openInvoiceRefs(sql);
  const running = new Set<string>();
  for await (const wf of temporal.workflow.list({ query: `WorkflowType = 'invoiceDunning' AND ExecutionStatus = 'Running'` })) running.add(wf.workflowId);
  const missing = open.filter((invoice) => !running.has(dunningWorkflowId(invoice.id)));
  const settled = await settledInvoiceIds(sql, [...running].map(invoiceIdOfWorkflow).filter((id) => id !== null));
  await eachConcurrently(settled, (id) => temporal.workflow.getHandle(dunningWorkflowId(id)).signal(invoiceChangedSignal).catch(() => undefined));
  // Most invoices missing from the list never had a workflow (a worker's first start, invoices written
  // while the engine was down): started at once. Only those refused, with a workflow running or
  // closed, are described one by one, so thousands of new invoices cost no look-up each.
  const firsts = await ensureDunningWorkflows(temporal, taskQueue, missing, { eager: deps.eager, neverStartedOnly: true });
  const startedFirst = new Set(firsts.map((invoice) => invoice.id));
  const toStart: { invoice: (typeof open)[number]; lastEnded: string | null }[] = [];
  let stopped = 0;
  await eachConcurrently(missing.filter((invoice) => !startedFirst.has(invoice.id)), async (invoice) => {
    const last = await temporal.workflow.getHandle(dunningWorkflowId(invoice.id)).describe().catch((err: unknown) => {
      if (err instanceof WorkflowNotFoundError) return null;
      throw err;
    });
    const status = last?.status.name;
    if (status === 'RUNNING') return;
    // A terminate cannot be caught by the workflow: it is recorded here as the operator's stop.
    if (status === 'TERMINATED' || status === 'CANCELLED') {
      await recordOperatorStop(sql, { invoiceId: invoice.id, how: status === 'TERMINATED' ? 'terminated' : 'cancelled', at: (last!.closeTime ?? new Date()).getTime() });
      stopped++;
      return;
    }
    toStart.push({ invoice, lastEnded: status ? status.toLowerCase() : null });
  });
  const started = new Set(await ensureDunningWorkflows(temporal, taskQueue, toStart.map((s) => s.invoice), { eager: deps.eager }));
  const repaired = [
    ...firsts.map((invoice) => ({ invoiceId: invoice.id, params: { lastEnded: null } })),
    ...toStart.filter((s) => started.has(s.invoice)).map(({ invoice, lastEnded }) => ({ invoiceId: invoice.id, params: { lastEnded } })),
  ];
  await insertEventsOfKind(sql, 'dunning_repaired', 'repair pass', repaired);
  return { checked: open.length, started: repaired.length, stopped, woken: settled.length };
}

export function createRepairActivities({ sql, temporal }: { sql: Sql; temporal: Client }) {
  return {
    /**
     * Run by the `relance-repair-pass` schedule, on the task queue of the workflows it repairs:
     * invoices without their workflow, then bulk and SEPA runs written while the engine was unreachable.
     */
    async repairDunningWorkflows(): Promise<RepairReport & { runsResumed: number }> {
      const taskQueue = Context.current().info.taskQueue;
      const report = await repairDunningWorkflows({ sql, temporal, taskQueue });
      return { ...report, runsResumed: await resumeUnstartedRuns(temporal, taskQueue, sql) };
    },
  };
}
