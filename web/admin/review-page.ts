import type { Context } from 'hono';
import { writeAudit } from '../../db/queries/audit.js';
import { holdPassItem, passOn, storePass } from '../../db/queries/review.js';
import { passItems } from '../../db/queries/review-pass-items.js';
import { getSettings, type CompanySettings } from '../../db/queries/settings.js';
import { isIsoDate } from '../../workflows/schedule/calendar-date.js';
import { localDate } from '../../workflows/schedule/zoned-time.js';
import type { WebDeps } from '../deps.js';
import { langOf, messages } from '../i18n.js';
import { wakeWorkflows } from '../../services/temporal/wake-workflows.js';
import type { AdminEnv } from './env.js';
import { refusal } from './form.js';
import { reviewView } from './views/review.js';
import { outcomeOnPage, type Flash } from './flash.js';
import { sitePath } from './paths.js';

const sendSettings = (s: CompanySettings) => ({ timeZone: s.timezone, sendHour: s.sendHour, country: s.country });

/** A day's pass: what falls due, summed per level and channel, to approve, or hold invoice by invoice. */
export async function reviewPage(c: Context<AdminEnv>, deps: WebDeps, flash?: Flash, date?: string) {
  const lang = langOf(c);
  const t = messages(lang);
  const settings = await getSettings(deps.sql);
  const today = localDate(Date.now(), settings.timezone);
  const asked = date ?? c.req.query('date') ?? today;
  const passDate = isIsoDate(asked) ? asked : today;
  const shown = await outcomeOnPage(c, deps.sql, flash, sitePath`/review?date=${passDate}`);
  if (shown.redirect) return shown.redirect;
  const [items, pass] = await Promise.all([passItems(deps.sql, passDate, sendSettings(settings)), passOn(deps.sql, passDate)]);
  const view = reviewView({ items, pass, passDate, today, csrf: c.get('user').csrfToken, flash: shown.flash, lang, t });
  return c.render(t.review, view, shown.status);
}

/** Approves the day's pass: its invoices (but the held ones) may go, and their workflows are woken. */
export async function approveReviewAction(c: Context<AdminEnv>, deps: WebDeps) {
  const t = messages(langOf(c));
  const passDate = c.req.param('date')!;
  const settings = await getSettings(deps.sql);
  const items = await passItems(deps.sql, passDate, sendSettings(settings));
  const released = await storePass(deps.sql, passDate, items, { by: c.get('user').email });
  await writeAudit(deps.sql, { userId: c.get('user').id, action: 'review.approve', entity: `review:${passDate}`, before: null, after: { invoices: released.length } });
  await wakeWorkflows(deps, released);
  return reviewPage(c, deps, { ok: true, text: t.done }, passDate);
}

export async function holdReviewItemAction(c: Context<AdminEnv>, deps: WebDeps) {
  const t = messages(langOf(c));
  const passDate = c.req.param('date')!;
  const form = await c.req.parseBody();
  const settings = await getSettings(deps.sql);
  const item = (await passItems(deps.sql, passDate, sendSettings(settings))).find((i) => i.invoiceId === Number(form.invoice) && i.needsApproval);
  if (!item) return reviewPage(c, deps, { ok: false, text: refusal(c, 'invoice', t.notFound) }, passDate);
  await holdPassItem(deps.sql, passDate, item, form.held === 'on', c.get('user').email);
  await wakeWorkflows(deps, [item.invoiceId]);
  return reviewPage(c, deps, { ok: true, text: t.done }, passDate);
}
