import { createRoute, OpenAPIHono, z } from '@hono/zod-openapi';
import type { WorkflowHandle } from '@temporalio/client';
import type { Context } from 'hono';
import { customerByRef } from '../../db/queries/customers.js';
import { recordDocumentSent, timelineOf } from '../../db/queries/events.js';
import { eventText } from '../timeline-texts.js';
import { installmentsOf, invoiceByNumber, upsertInvoice } from '../../db/queries/invoices.js';
import { saveInvoicePdf } from '../../db/queries/invoice-files.js';
import { linesOf } from '../../db/queries/invoice-lines.js';
import { remindersOf } from '../../db/queries/reminders.js';
import { pageCount } from '../../services/pdf/merge.js';
import { pauseUpdate, resumeUpdate, sendNowUpdate } from '../../workflows/messages.js';
import { PaymentTermsError } from '../../workflows/schedule/payment-terms.js';
import { invoiceSchedule, termsFor } from './invoice-schedule.js';
import { dunningWorkflowId, startOrWakeDunningSoon } from '../../services/temporal/dunning-client.js';
import type { WebDeps } from '../deps.js';
import { liveDunningState } from '../../services/temporal/dunning-state.js';
import { askWorkflow } from '../invoice-actions.js';
import { invalid, notFound } from './problems.js';
import { invoiceBody, numberParam, pauseBody, sendNowBody, toInvoiceLines } from './schemas.js';
import { validationHook } from './validation.js';

const json = <T extends z.ZodType>(schema: T) => ({ content: { 'application/json': { schema } }, required: true });
const ok = (description: string) => ({ description, content: { 'application/json': { schema: z.any() } } });

const put = createRoute({
  method: 'put', path: '/invoices/{number}', summary: 'Create or update an invoice; starts or wakes its dunning workflow',
  request: { params: numberParam, body: json(invoiceBody) },
  responses: { 200: ok('Updated'), 201: ok('Created'), 422: { description: 'Invalid fields, each named' } },
});
const get = createRoute({
  method: 'get', path: '/invoices/{number}/dunning', summary: "An invoice's dunning state, reminders and timeline",
  request: { params: numberParam },
  responses: { 200: ok('The state'), 404: { description: 'No such invoice' } },
});
const pause = createRoute({
  method: 'post', path: '/invoices/{number}/pause', summary: 'Pause dunning with a reason',
  request: { params: numberParam, body: json(pauseBody) },
  responses: { 200: ok('The new state'), 404: { description: 'No such invoice' }, 409: { description: 'Refused by the workflow' } },
});
const resume = createRoute({
  method: 'post', path: '/invoices/{number}/resume', summary: 'Resume dunning',
  request: { params: numberParam },
  responses: { 200: ok('The new state'), 404: { description: 'No such invoice' }, 409: { description: 'Refused by the workflow' } },
});
const MAX_PDF_BYTES = 10 * 1024 * 1024;
const putPdf = createRoute({
  method: 'put', path: '/invoices/{number}/pdf', summary: "The billing system's PDF of the invoice: letters and e-mails carry a stamped copy of it",
  request: { params: numberParam, body: { content: { 'application/pdf': { schema: z.string().openapi({ format: 'binary' }) } }, required: true } },
  responses: { 204: { description: 'Stored' }, 404: { description: 'No such invoice' }, 422: { description: 'Not a readable PDF, or over 10 MB' } },
});
const sendNow = createRoute({
  method: 'post', path: '/invoices/{number}/send-now', summary: 'Send the next (or a given) level now',
  request: { params: numberParam, body: { content: { 'application/json': { schema: sendNowBody } }, required: false } },
  responses: { 200: ok('What was done'), 404: { description: 'No such invoice' }, 409: { description: 'Refused by the workflow' } },
});

export function invoiceRoutes(deps: WebDeps) {
  return new OpenAPIHono({ defaultHook: validationHook })
    .openapi(put, async (c) => {
      const { number } = c.req.valid('param');
      const b = c.req.valid('json');
      const customer = await customerByRef(deps.sql, b.customerRef);
      if (!customer) return invalid(c, [{ field: 'customerRef', message: `no customer "${b.customerRef}": create it first with PUT /customers/{ref}` }]);
      let terms;
      try {
        terms = invoiceSchedule(b, (await termsFor(deps.sql, [{ body: b, customer }]))[0]);
      } catch (err) {
        if (err instanceof PaymentTermsError) return invalid(c, [{ field: err.field, message: err.message }]);
        throw err;
      }
      const { id, created, stopped } = await deps.sql.begin(async (tx) => {
        const written = await upsertInvoice(tx, {
          number, customerId: customer.id, issueDate: b.issueDate, dueDate: terms.dueDate, currency: b.currency,
          totalCents: b.totalCents, status: b.status, installments: terms.installments, lines: toInvoiceLines(b.lines ?? []), paymentTermsId: terms.paymentTermsId,
        });
        if (b.sentAt) await recordDocumentSent(tx, written.id, b.sentAt, 'api');
        return written;
      });
      // An operator's stop holds until a person lifts it on the invoice's page.
      const started = stopped || (await startOrWakeDunningSoon(deps.temporal, deps.taskQueue, { id, number, customerRef: customer.ref }));
      return c.json({
        id, number, created, workflowId: dunningWorkflowId(id),
        ...(started ? {} : { dunning: 'pending', message: 'The invoice is saved; the workflow engine is unreachable, so its dunning starts when the engine is back (the repair pass starts it).' }),
      }, created ? 201 : 200);
    })
    .openapi(get, async (c) => {
      const inv = await invoiceByNumber(deps.sql, c.req.valid('param').number);
      if (!inv) return notFound(c, 'Invoice');
      const [installments, lines, reminders, timeline, workflow] = await Promise.all([
        installmentsOf(deps.sql, inv.id),
        linesOf(deps.sql, inv.id),
        remindersOf(deps.sql, inv.id),
        timelineOf(deps.sql, inv.id),
        liveDunningState(deps, inv.id),
      ]);
      return c.json({
        invoice: { ...inv, balanceCents: inv.totalCents - inv.paidCents }, installments, reminders,
        lines: lines.map((l) => ({ label: l.label, quantity: l.quantityMilli / 1000, unitPriceCents: l.unitPriceCents, vatRate: l.vatRateBp / 100 })),
        timeline: timeline.map((e) => ({ ...e, message: eventText(e, 'en') })), workflow,
      }, 200);
    })
    .openapi(pause, async (c) =>
      viaWorkflow(c, c.req.valid('param').number, (h) => h.executeUpdate(pauseUpdate, { args: [{ reason: c.req.valid('json').reason, actor: 'api' }] })),
    )
    .openapi(resume, async (c) => viaWorkflow(c, c.req.valid('param').number, (h) => h.executeUpdate(resumeUpdate, { args: [{ actor: 'api' }] })))
    .openapi(sendNow, async (c) =>
      viaWorkflow(c, c.req.valid('param').number, (h) => h.executeUpdate(sendNowUpdate, { args: [{ ...(c.req.valid('json') ?? {}), actor: 'api' }] })),
    )
    .openapi(putPdf, async (c) => {
      const inv = await invoiceByNumber(deps.sql, c.req.valid('param').number);
      if (!inv) return notFound(c, 'Invoice');
      const content = new Uint8Array(await c.req.arrayBuffer());
      if (content.length > MAX_PDF_BYTES) return invalid(c, [{ field: 'body', message: 'is larger than 10 MB' }]);
      const pages = await pageCount(content).catch(() => 0);
      if (pages === 0) return invalid(c, [{ field: 'body', message: 'is not a readable PDF' }]);
      await saveInvoicePdf(deps.sql, inv.id, content, pages);
      return c.body(null, 204);
    });

  /** Asks the invoice's workflow; a refusal (validator or handler) is a 409 with its reason, an unreachable engine a 503. */
  async function viaWorkflow(c: Context, number: string, call: (handle: WorkflowHandle) => Promise<unknown>) {
    const inv = await invoiceByNumber(deps.sql, number);
    if (!inv) return notFound(c, 'Invoice');
    const answer = await askWorkflow(deps, inv.id, call);
    if (answer.ok) return c.json(answer.value as object, 200);
    return answer.unreachable ? c.json({ error: 'engine_unreachable', message: answer.message }, 503) : c.json({ error: 'refused', message: answer.message }, 409);
  }
}
