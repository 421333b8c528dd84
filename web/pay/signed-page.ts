import type { Context } from 'hono';
import { html } from 'hono/html';
import { getSettings, type CompanySettings } from '../../db/queries/settings.js';
import { payLinkSecret } from '../../db/queries/stripe.js';
import { checkPayToken, type PayTarget } from '../../services/pay-link.js';
import { localDate } from '../../workflows/schedule/zoned-time.js';
import type { WebDeps } from '../deps.js';

const EXPIRED = {
  fr: { expired: 'Ce lien de paiement a expiré.', contact: (who: string) => `Pour régler ou recevoir un nouveau lien, contactez ${who}.` },
  en: { expired: 'This payment link has expired.', contact: (who: string) => `To pay or to get a new link, please contact ${who}.` },
};

/** A page the customer opens from a signed link: the company's name, one card, in the customer's language. */
export async function customerFacingPage(c: Context, deps: WebDeps, language: string, title: string, content: unknown, status: 200 | 404 | 410 | 422 | 429 | 502 = 200) {
  const { companyName } = await getSettings(deps.sql);
  return c.html(
    html`<!doctype html><html lang="${language === 'en' ? 'en' : 'fr'}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
      <meta name="referrer" content="no-referrer"><meta name="robots" content="noindex">
      <title>${title} · ${companyName}</title><link rel="stylesheet" href="/static/app.css"></head>
      <body><main class="pay"><h1>${companyName}</h1>${content}</main></body></html>`,
    status,
  );
}

export type Opened<T> = { refused: Response } | { record: T; secret: string; today: string; settings: CompanySettings };

/**
 * The record a signed link opens, when its signature is ours: a forged or altered link is a plain
 * 404 that says nothing of what exists; past its validity (a setting) the customer gets a page
 * saying whom to contact instead.
 */
export async function openSigned<T>(c: Context, deps: WebDeps, target: PayTarget, load: (id: number) => Promise<T | undefined>, languageOf: (record: T) => string): Promise<Opened<T>> {
  const id = Number(c.req.param('id'));
  const [secret, settings] = await Promise.all([payLinkSecret(deps.sql), getSettings(deps.sql)]);
  const today = localDate(Date.now(), settings.timezone);
  const check = checkPayToken(secret, target, id, c.req.param('token')!, today, settings.payLinkDays);
  const record = check.valid ? await load(id) : undefined;
  if (record === undefined || !check.valid) return { refused: await c.notFound() };
  if (check.expired) {
    const language = languageOf(record);
    const w = EXPIRED[language === 'en' ? 'en' : 'fr'];
    const who = [settings.companyName, settings.companyEmail, settings.companyPhone].filter(Boolean).join(' · ');
    return { refused: await customerFacingPage(c, deps, language, w.expired, html`<section class="card"><p class="error">${w.expired}</p><p>${w.contact(who)}</p></section>`, 410) };
  }
  return { record, secret, today, settings };
}
