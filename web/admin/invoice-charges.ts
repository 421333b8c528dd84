import { WorkflowFailedError } from '@temporalio/client';
import type { Context } from 'hono';
import type { InvoiceSummary } from '../../db/queries/invoices.js';
import { noteFile } from '../../db/queries/late-charges.js';
import { lateChargeNoteWorkflowId } from '../../workflows/ids.js';
import { lateChargeNote } from '../../workflows/late-charge-note.js';
import type { WebDeps } from '../deps.js';
import type { AdminEnv } from './env.js';

/** Issues today's note through the worker (Chromium renders it); the same day twice gives the same note. */
export async function issueLateChargeNote(deps: WebDeps, inv: InvoiceSummary, today: string, actor: string): Promise<{ ok: true } | { ok: false; text: string }> {
  try {
    await deps.temporal.workflow.execute(lateChargeNote, {
      workflowId: lateChargeNoteWorkflowId(inv.id, today), taskQueue: deps.taskQueue, args: [{ invoiceId: inv.id, asOf: today, actor }],
    });
    return { ok: true };
  } catch (err) {
    // The workflow failed because its activity refused: the reason is the activity's own message.
    if (err instanceof WorkflowFailedError) return { ok: false, text: (err.cause?.cause as Error | undefined)?.message ?? err.cause?.message ?? err.message };
    throw err;
  }
}

export async function lateChargeNoteFile(c: Context<AdminEnv>, deps: WebDeps) {
  const file = await noteFile(deps.sql, Number(c.req.param('id')));
  if (!file) return c.notFound();
  c.header('Content-Type', 'application/pdf');
  c.header('Content-Disposition', `inline; filename="${file.filename}"`);
  return c.body(file.content as Uint8Array<ArrayBuffer>);
}
