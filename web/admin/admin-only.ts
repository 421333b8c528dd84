import { createMiddleware } from 'hono/factory';
import { langOf, messages } from '../i18n.js';
import type { AdminEnv } from './env.js';
import { messageView } from './views/message.js';

/** Configuration is for administrators: anyone else gets a page that says so. */
export const adminOnly = createMiddleware<AdminEnv>(async (c, next) => {
  if (c.get('user').role !== 'admin') {
    const t = messages(langOf(c));
    return c.render(t.forbidden, messageView(t.adminsOnly, 'error'), 403);
  }
  await next();
});
