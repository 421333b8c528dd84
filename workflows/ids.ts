/** Workflow ids: one per invoice and one per bulk run, so a second start finds the first. */
export const dunningWorkflowId = (invoiceId: number) => `invoice-${invoiceId}`;
/** The invoice of a dunning workflow id; null for any other id. */
export const invoiceIdOfWorkflow = (workflowId: string): number | null => {
  const id = /^invoice-([1-9]\d{0,15})$/.exec(workflowId)?.[1];
  return id ? Number(id) : null;
};
export const bulkRunWorkflowId = (runId: number) => `bulk-run-${runId}`;
export const sepaRunWorkflowId = (runId: number) => `sepa-run-${runId}`;

/** The task queue reminders are sent from: its rate limit is the e-mail provider's ceiling. */
export const emailTaskQueue = (taskQueue: string) => `${taskQueue}-send`;
export const lateChargeNoteWorkflowId = (invoiceId: number, asOf: string) => `late-charges-${invoiceId}-${asOf}`;
export const statementWorkflowId = (statementId: number) => `statement-${statementId}`;
