import type { Context } from 'hono';
import { sentMessageHtml, sentMessages } from '../../db/queries/reminders.js';
import { getSettings } from '../../db/queries/settings.js';
import type { WebDeps } from '../deps.js';
import { langOf, messages } from '../i18n.js';
import type { AdminEnv } from './env.js';
import { sandboxedHtml } from './preview-store.js';
import { recordIdOf } from './paths.js';
import { outboxView } from './views/outbox.js';

const PAGE = 50;

export async function outboxPage(c: Context<AdminEnv>, deps: WebDeps) {
  const lang = langOf(c);
  const t = messages(lang);
  const status = c.req.query('status') === 'sent' || c.req.query('status') === 'failed' ? (c.req.query('status') as 'sent' | 'failed') : undefined;
  const [before, shown] = [recordIdOf(c.req.query('before')), recordIdOf(c.req.query('show'))];
  if (before === null || shown === null) return c.text(`${t.refused}: before, show: ${t.recordIdExpected}`, 400);
  const [rows, settings] = await Promise.all([sentMessages(deps.sql, { status, before, limit: PAGE }), getSettings(deps.sql)]);
  return c.render(t.outbox, outboxView({ rows, status, before, shown, more: rows.length === PAGE, timezone: settings.timezone, lang, t }));
}

export async function outboxMessageHtml(c: Context<AdminEnv>, deps: WebDeps) {
  const page = await sentMessageHtml(deps.sql, Number(c.req.param('id')));
  if (!page) return c.text(messages(langOf(c)).noStoredRendering, 404);
  return sandboxedHtml(c, page);
}
