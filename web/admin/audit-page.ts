import type { Context } from 'hono';
import { recentAudit } from '../../db/queries/audit.js';
import { getSettings } from '../../db/queries/settings.js';
import type { WebDeps } from '../deps.js';
import { langOf, messages } from '../i18n.js';
import type { AdminEnv } from './env.js';
import { auditView } from './views/audit.js';

export async function auditPage(c: Context<AdminEnv>, deps: WebDeps) {
  const lang = langOf(c);
  const t = messages(lang);
  const [entries, settings] = await Promise.all([recentAudit(deps.sql, 200), getSettings(deps.sql)]);
  return c.render(t.audit, auditView({ entries, timezone: settings.timezone, lang, t }));
}
