import type { Context } from 'hono';
import { dashboardFigures, latestReminders } from '../../db/queries/dashboard.js';
import { getSettings } from '../../db/queries/settings.js';
import { disputesToHandle } from '../../db/queries/disputes.js';
import { localDate } from '../../workflows/schedule/zoned-time.js';
import type { WebDeps } from '../deps.js';
import { langOf, messages } from '../i18n.js';
import { withinDeadline } from '../../services/temporal/dunning-client.js';
import type { AdminEnv } from './env.js';
import { dashboardView } from './views/dashboard.js';

export async function dashboardPage(c: Context<AdminEnv>, deps: WebDeps) {
  const lang = langOf(c);
  const t = messages(lang);
  const settings = await getSettings(deps.sql);
  const today = localDate(Date.now(), settings.timezone);
  const [figures, sent, failed, running, toHandle] = await Promise.all([
    dashboardFigures(deps.sql, today),
    latestReminders(deps.sql, 'sent'),
    latestReminders(deps.sql, 'failed'),
    runningDunningCount(deps),
    disputesToHandle(deps.sql),
  ]);
  return c.render(t.dashboard, dashboardView({ figures, sent, failed, running, toHandle, timezone: settings.timezone, lang, t }));
}

/** Invoice workflows running now, or null when the engine does not answer within its deadline. */
async function runningDunningCount(deps: WebDeps): Promise<number | null> {
  try {
    const { count } = await withinDeadline(deps.temporal, () => deps.temporal.workflow.count(`WorkflowType = 'invoiceDunning' AND ExecutionStatus = 'Running'`));
    return count;
  } catch {
    return null;
  }
}
