import { createMiddleware } from 'hono/factory';
import { html } from 'hono/html';
import { langOf, messages } from '../i18n.js';
import type { AdminEnv } from './env.js';

/** Configuration is for administrators: anyone else gets a page that says so. */
export const adminOnly = createMiddleware<AdminEnv>(async (c, next) => {
  if (c.get('user').role !== 'admin') {
    const t = messages(langOf(c));
    return c.render(t.forbidden, html`<p class="card error">${t.adminsOnly}</p>`, 403);
  }
  await next();
});
