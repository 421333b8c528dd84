import { createRoute, OpenAPIHono, z } from '@hono/zod-openapi';
import { upsertCustomer } from '../../db/queries/customers.js';
import { openInvoiceIdsOfCustomer } from '../../db/queries/customers.js';
import { invoiceChangedSignal } from '../../workflows/messages.js';
import { dunningWorkflowId } from '../dunning-client.js';
import type { WebDeps } from '../deps.js';
import { validationHook } from './validation.js';
import { customerBody, refParam } from './schemas.js';

const put = createRoute({
  method: 'put',
  path: '/customers/{ref}',
  summary: 'Create or update a customer by your reference',
  request: { params: refParam, body: { content: { 'application/json': { schema: customerBody } }, required: true } },
  responses: {
    200: { description: 'Updated', content: { 'application/json': { schema: z.object({ id: z.number(), ref: z.string(), created: z.boolean() }) } } },
    201: { description: 'Created', content: { 'application/json': { schema: z.object({ id: z.number(), ref: z.string(), created: z.boolean() }) } } },
    422: { description: 'Invalid fields, each named' },
  },
});

export function customerRoutes(deps: WebDeps) {
  return new OpenAPIHono({ defaultHook: validationHook }).openapi(put, async (c) => {
    const { ref } = c.req.valid('param');
    const b = c.req.valid('json');
    const { id, created } = await upsertCustomer(deps.sql, {
      ref, name: b.name, emails: b.emails, language: b.language,
      addressLine1: b.address.line1, addressLine2: b.address.line2, postalCode: b.address.postalCode,
      city: b.address.city, country: b.address.country,
    });
    // A fixed address may unblock reminders that could not be delivered.
    if (!created) {
      const ids = await openInvoiceIdsOfCustomer(deps.sql, id);
      await Promise.allSettled(ids.map((i) => deps.temporal.workflow.getHandle(dunningWorkflowId(i)).signal(invoiceChangedSignal)));
    }
    return c.json({ id, ref, created }, created ? 201 : 200);
  });
}
