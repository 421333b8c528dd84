import { randomUUID } from 'node:crypto';
import type { Context } from 'hono';
import type { Sql } from '../../db/client.js';
import { listFollowUp, type FollowUpFilter } from '../../db/queries/follow-up-list.js';
import { getSettings } from '../../db/queries/settings.js';
import { loadDunningFacts } from '../../db/queries/dunning-facts.js';
import { localDate } from '../../workflows/schedule/zoned-time.js';
import type { WebDeps } from '../deps.js';
import { langOf, messages } from '../i18n.js';
import { followUpCsv } from './follow-up-export.js';
import type { AdminEnv } from './env.js';
import { filterSchema, type Filter } from './follow-up-filter.js';
import { followUpErrorsView, followUpResultsView, followUpView } from './views/follow-up.js';

const PAGE_SIZE = 50;
/** The selection as CSV; a bad filter is refused by name. */
export async function followUpExport(c: Context<AdminEnv>, deps: WebDeps) {
  const parsed = filterSchema.safeParse(c.req.query());
  if (!parsed.success) return c.json({ error: 'invalid', problems: parsed.error.issues.map((i) => ({ field: String(i.path[0]), message: i.message })) }, 422);
  return followUpCsv(c, deps, parsed.data);
}

/** The mass follow-up (source 000): filters, coloured rows, next action; htmx swaps only the results. */
export async function followUpPage(c: Context<AdminEnv>, deps: WebDeps) {
  const lang = langOf(c);
  const t = messages(lang);
  const raw = c.req.query();
  const parsed = filterSchema.safeParse(raw);
  const errors = parsed.success ? [] : parsed.error.issues.map((i) => ({ field: String(i.path[0]), message: i.message }));
  const filter = parsed.success ? parsed.data : filterSchema.parse({ ...raw, dueFrom: '', dueTo: '', level: '' });
  if (filter.dueFrom && filter.dueTo && filter.dueFrom > filter.dueTo) errors.push({ field: 'dueTo', message: '≥ dueFrom' });
  const results = errors.length
    ? followUpErrorsView(errors, t)
    : followUpResultsView({ ...(await followUpResults(deps.sql, filter)), filter, runKey: randomUUID(), csrf: c.get('user').csrfToken, lang, t });
  if (c.req.header('hx-request') && c.req.header('hx-target') === 'results') return c.html(results);
  return c.render(t.followUp, followUpView({ filter, raw, results, t }));
}

/** One page of the selection, with each row's facts for the workflow's own planner. */
async function followUpResults(sql: Sql, f: Filter) {
  const settings = await getSettings(sql);
  const now = Date.now();
  const { rows, total, more } = await listFollowUp(sql, { ...f, pageSize: PAGE_SIZE } satisfies FollowUpFilter);
  const planned = await loadDunningFacts(sql, rows.map((r) => r.id));
  return { rows, total, more, planned, settings, today: localDate(now, settings.timezone), now, pageSize: PAGE_SIZE };
}

