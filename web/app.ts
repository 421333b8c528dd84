import { Hono } from 'hono';
import { HTTPException } from 'hono/http-exception';
import { secureHeaders } from 'hono/secure-headers';
import { createApi } from './api/index.js';
import type { WebDeps } from './deps.js';

export function createApp(deps: WebDeps & { log?: (err: unknown) => void }) {
  const app = new Hono();
  app.use('*', secureHeaders());
  app.get('/health', async (c) => {
    await deps.sql`select 1`;
    return c.json({ ok: true });
  });
  app.route('/api/v1', createApi(deps));
  app.onError((err, c) => {
    if (err instanceof HTTPException) {
      const res = err.getResponse();
      return c.json({ error: res.status === 401 ? 'unauthorized' : 'bad_request', message: err.message || res.statusText }, res.status as 400);
    }
    deps.log?.(err);
    return c.json({ error: 'internal', message: 'Something went wrong on our side; nothing was half-written.' }, 500);
  });
  return app;
}
