import { createRoute, OpenAPIHono, z } from '@hono/zod-openapi';
import { customerByRef, openInvoiceIdsOfCustomer, upsertCustomer } from '../../db/queries/customers.js';
import { saveMandate } from '../../db/queries/mandates.js';
import type { WebDeps } from '../deps.js';
import { mandateForm } from '../sepa/bank-fields.js';
import { wakeWorkflows } from '../../services/temporal/wake-workflows.js';
import { invalid, notFound, zodProblems } from './problems.js';
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

const putMandate = createRoute({
  method: 'put',
  path: '/customers/{ref}/mandate',
  summary: "The customer's bank account and SEPA direct-debit mandate",
  request: {
    params: refParam,
    body: {
      content: {
        'application/json': {
          schema: z.object({
            iban: z.string(), bic: z.string().optional(), holder: z.string(), bankName: z.string().optional(), reference: z.string(),
            signedOn: z.string().openapi({ format: 'date' }), signedPlace: z.string().optional(), sequence: z.enum(['FRST', 'RCUR', 'OOFF', 'FNAL']).optional(),
          }).openapi('Mandate'),
        },
      },
      required: true,
    },
  },
  responses: { 200: { description: 'Saved' }, 404: { description: 'No such customer' }, 422: { description: 'Invalid fields, each named; nothing saved' } },
});

export function customerRoutes(deps: WebDeps) {
  return new OpenAPIHono({ defaultHook: validationHook }).openapi(putMandate, async (c) => {
    const customer = await customerByRef(deps.sql, c.req.valid('param').ref);
    if (!customer) return notFound(c, 'Customer');
    const b = c.req.valid('json');
    const parsed = mandateForm.safeParse({ bankName: '', signedPlace: '', sequence: 'FRST', bic: '', ...b });
    if (!parsed.success) return invalid(c, zodProblems(parsed.error as never));
    if ((await saveMandate(deps.sql, { customerId: customer.id, ...parsed.data })) === 'taken') {
      return invalid(c, [{ field: 'reference', message: "is already another customer's mandate" }]);
    }
    return c.json({ ref: customer.ref, mandate: parsed.data }, 200);
  }).openapi(put, async (c) => {
    const { ref } = c.req.valid('param');
    const b = c.req.valid('json');
    const { id, created } = await upsertCustomer(deps.sql, {
      ref, name: b.name, emails: b.emails, language: b.language,
      addressLine1: b.address.line1, addressLine2: b.address.line2, postalCode: b.address.postalCode,
      city: b.address.city, country: b.address.country,
    });
    // A fixed address may unblock reminders that could not be delivered.
    if (!created) await wakeWorkflows(deps, await openInvoiceIdsOfCustomer(deps.sql, id));
    return c.json({ id, ref, created }, created ? 201 : 200);
  });
}
