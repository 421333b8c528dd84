import { createRoute, OpenAPIHono, z } from '@hono/zod-openapi';
import { dunningWorkflowId, startOrWakeDunningSoon } from '../../services/temporal/dunning-client.js';
import type { WebDeps } from '../deps.js';
import { BODY_LIMITS } from '../body-limits.js';
import { checkFacturX, FacturXRefused, writeFacturX } from '../import/factur-x-import.js';
import { invalid } from './problems.js';
import { validationHook } from './validation.js';

const post = createRoute({
  method: 'post', path: '/invoices/factur-x',
  summary: "Create or update an invoice from a Factur-X PDF: its buyer, lines, due date and the PDF itself; starts or wakes its dunning workflow",
  request: { body: { content: { 'application/pdf': { schema: z.string().openapi({ format: 'binary' }) } }, required: true } },
  responses: {
    200: { description: 'Updated', content: { 'application/json': { schema: z.any() } } },
    201: { description: 'Created', content: { 'application/json': { schema: z.any() } } },
    422: { description: 'Not a Factur-X invoice Relance can chase: each problem names its business term (BT-…); nothing was saved' },
  },
});

export function facturXRoutes(deps: WebDeps) {
  return new OpenAPIHono({ defaultHook: validationHook }).openapi(post, async (c) => {
    const content = new Uint8Array(await c.req.arrayBuffer());
    if (content.length > BODY_LIMITS.invoicePdf) return invalid(c, [{ field: 'body', message: 'is larger than 10 MB' }]);
    const checked = await checkFacturX(deps.sql, [{ filename: 'body', content }]);
    if (!checked.ok) return invalid(c, checked.problems.map(({ field, message }) => ({ field, message })));
    const [invoice] = checked.invoices;
    let written;
    try {
      [written] = await deps.sql.begin((tx) => writeFacturX(tx, checked.invoices, 'api'));
    } catch (err) {
      if (err instanceof FacturXRefused) return invalid(c, err.problems.map(({ field, message }) => ({ field, message })));
      throw err;
    }
    // An operator's stop holds until a person lifts it on the invoice's page.
    const started = written!.stopped || (await startOrWakeDunningSoon(deps.temporal, deps.taskQueue, written!));
    return c.json({
      id: written!.id, number: written!.number, customerRef: written!.customerRef, customerCreated: !invoice!.buyer.known, profile: invoice!.profile,
      created: written!.created, workflowId: dunningWorkflowId(written!.id),
      ...(started ? {} : { dunning: 'pending', message: 'The invoice is saved; the workflow engine is unreachable, so its dunning starts when the engine is back (the repair pass starts it).' }),
    }, written!.created ? 201 : 200);
  });
}
