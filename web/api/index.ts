import { OpenAPIHono } from '@hono/zod-openapi';
import { bearerAuth } from 'hono/bearer-auth';
import type { WebDeps } from '../deps.js';
import { limitUploads } from '../body-limits.js';
import { refuseNul } from '../refuse-nul.js';
import { customerRoutes } from './customers.js';
import { invoiceRoutes } from './invoices.js';
import { facturXRoutes } from './factur-x.js';
import { paymentRoutes } from './payments.js';

/** The REST API for the billing system, under a bearer token; its OpenAPI document is public. */
export function createApi(deps: WebDeps) {
  const api = new OpenAPIHono();
  api.doc('/openapi.json', {
    openapi: '3.0.3',
    info: { title: 'Relance API', version: '1', description: 'Push customers, invoices and payments; read dunning state.' },
    servers: [{ url: '/api/v1' }],
    security: [{ bearer: [] }],
  });
  api.openAPIRegistry.registerComponent('securitySchemes', 'bearer', { type: 'http', scheme: 'bearer' });
  // The document's route is registered before the token check and answers alone: that one route
  // (GET, this exact path) is public, and nothing else is let through by the look of its path.
  api.use('/*', bearerAuth({ token: deps.apiToken }), limitUploads, refuseNul);
  api.route('/', customerRoutes(deps));
  api.route('/', facturXRoutes(deps));
  api.route('/', invoiceRoutes(deps));
  api.route('/', paymentRoutes(deps));
  api.all('*', (c) => c.json({ error: 'not_found', message: `No API route for ${c.req.method} ${c.req.path}` }, 404));
  return api;
}
