import { createRoute, OpenAPIHono, z } from '@hono/zod-openapi';
import { invoiceByNumber } from '../../db/queries/invoices.js';
import { recordPaymentAndWake } from '../invoice-actions.js';
import type { WebDeps } from '../deps.js';
import { invalid } from './problems.js';
import { paymentBody } from './schemas.js';
import { validationHook } from './validation.js';

const result = z.object({ paymentId: z.number(), duplicate: z.boolean(), invoiceStatus: z.string() });
const post = createRoute({
  method: 'post', path: '/payments', summary: 'Record a payment (idempotent by externalId); wakes the invoice workflow',
  request: { body: { content: { 'application/json': { schema: paymentBody } }, required: true } },
  responses: {
    201: { description: 'Recorded', content: { 'application/json': { schema: result } } },
    200: { description: 'Already recorded under this externalId', content: { 'application/json': { schema: result } } },
    422: { description: 'Invalid fields, each named' },
  },
});

export function paymentRoutes(deps: WebDeps) {
  return new OpenAPIHono({ defaultHook: validationHook }).openapi(post, async (c) => {
    const b = c.req.valid('json');
    const inv = await invoiceByNumber(deps.sql, b.invoiceNumber);
    if (!inv) return invalid(c, [{ field: 'invoiceNumber', message: `no invoice "${b.invoiceNumber}"` }]);
    if (b.currency !== inv.currency) return invalid(c, [{ field: 'currency', message: `must be the invoice's currency, ${inv.currency}` }]);
    if (inv.status === 'cancelled') return invalid(c, [{ field: 'invoiceNumber', message: 'this invoice is cancelled' }]);
    const r = await recordPaymentAndWake(deps, {
      invoiceId: inv.id, amountCents: b.amountCents, currency: b.currency, paidOn: b.paidOn, method: b.method,
      source: 'api', externalId: b.externalId, actor: 'api',
    }, { answerFirst: true });
    return c.json(r, r.duplicate ? 200 : 201);
  });
}
