import { Hono } from 'hono';
import { HTTPException } from 'hono/http-exception';
import { secureHeaders } from 'hono/secure-headers';
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createAdmin } from './admin/index.js';
import { createApi } from './api/index.js';
import { createResendWebhooks } from './webhooks/resend.js';
import { createStripeWebhooks } from './webhooks/stripe.js';
import { createPayRoutes } from './pay/pay-routes.js';
import { createPortalRoutes, createShortPortalRoutes } from './pay/portal-routes.js';
import type { WebDeps } from './deps.js';
import type { PreviewStore } from './admin/preview-store.js';
import { isUnreadableBody, limitBodies } from './body-limits.js';
import { refuseNul } from './refuse-nul.js';
import { answersJson, errorPage } from './error-pages.js';
import { SignalCourier } from '../services/temporal/signal-courier.js';

const htmxFile = createRequire(import.meta.url).resolve('htmx.org/dist/htmx.min.js');
const staticDir = fileURLToPath(new URL('./static/', import.meta.url));

export function createApp(given: WebDeps & { publicUrl: string; log?: (err: unknown) => void; resendWebhookSecret?: string; previews?: PreviewStore }) {
  const deps = { ...given, signals: given.signals ?? new SignalCourier() };
  const app = new Hono();
  app.use(
    '*',
    secureHeaders({
      // "no-referrer" would make browsers send `Origin: null` on our own form posts.
      referrerPolicy: 'strict-origin-when-cross-origin',
      // A handler that sets its own header (the sandboxed e-mail preview) keeps it.
      overwrite: false,
      contentSecurityPolicy: { defaultSrc: ["'self'"], scriptSrc: ["'self'"], styleSrc: ["'self'"], imgSrc: ["'self'", 'data:'], frameAncestors: ["'none'"], formAction: ["'self'"] },
    }),
  );
  app.use('*', limitBodies);
  // The public endpoints that read a body; the API and the admin check it after authentication.
  app.use('/webhooks/*', refuseNul);
  app.get('/static/htmx.min.js', async (c) => {
    c.header('content-type', 'text/javascript; charset=utf-8');
    c.header('cache-control', 'public, max-age=86400');
    return c.body(await readFile(htmxFile));
  });
  app.get('/static/app.css', async (c) => {
    c.header('content-type', 'text/css; charset=utf-8');
    return c.body(await readFile(join(staticDir, 'app.css')));
  });
  app.get('/health', async (c) => {
    await deps.sql`select 1`;
    return c.json({ ok: true });
  });
  app.route('/api/v1', createApi(deps));
  app.route('/webhooks', createResendWebhooks(deps));
  app.route('/webhooks', createStripeWebhooks(deps));
  app.route('/pay', createPayRoutes(deps));
  app.route('/portal', createPortalRoutes(deps));
  app.route('/p', createShortPortalRoutes(deps));
  app.route('/', createAdmin(deps));
  app.notFound((c) => (answersJson(c) ? c.json({ error: 'not_found', message: `No route ${c.req.method} ${c.req.path}` }, 404) : errorPage(c, 404)));
  app.onError((err, c) => {
    if (err instanceof HTTPException) {
      const res = err.getResponse();
      if (!answersJson(c) && res.status === 400) return errorPage(c, 400);
      return c.json({ error: res.status === 401 ? 'unauthorized' : 'bad_request', message: err.message || res.statusText }, res.status as 400);
    }
    if (isUnreadableBody(err)) return answersJson(c) ? c.json({ error: 'bad_request', message: 'The request body is not the well-formed form it claims to be.' }, 400) : errorPage(c, 400);
    deps.log?.(err);
    return answersJson(c) ? c.json({ error: 'internal', message: 'Something went wrong on our side; nothing was half-written.' }, 500) : errorPage(c, 500);
  });
  return app;
}
