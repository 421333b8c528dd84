import type { Context } from 'hono';
import type { Sql } from '../../db/client.js';
import { keepFlash } from '../auth/sessions.js';
import type { AdminEnv, Flash } from './env.js';

export type { Flash };

const MAX_FLASH = 2000;

/** What an action did; a refusal names the field at fault, worded in the reader's language at the edge. */
export type Outcome = { ok: true; text?: string } | { ok: false; field?: string; text: string } | { flash: Flash };

export type Shown = { redirect: Response } | { redirect?: undefined; flash?: Flash; status: 200 | 422 };

/**
 * What a page shows after an action (post/redirect/get): a change that worked sends the browser
 * back to the page with a 303, its outcome kept on the session for one showing, so a reload never
 * repeats it; a refusal is the page itself, answered 422 with what was typed still in the form.
 * htmx asked for a fragment of the page and gets it, with its outcome, as a 200 it will swap in.
 * With no action, the page shows the outcome kept for it by the redirect.
 */
export async function outcomeOnPage(c: Context<AdminEnv>, sql: Sql, flash: Flash | undefined, page: string): Promise<Shown> {
  const fromHtmx = c.req.header('hx-request') === 'true';
  if (!flash) return { flash: c.get('flash'), status: 200 };
  if (fromHtmx || c.req.method !== 'POST') return { flash, status: 200 };
  if (!flash.ok) return { flash, status: 422 };
  await keepFlash(c, sql, { ok: true, text: flash.text.slice(0, MAX_FLASH) });
  return { redirect: c.redirect(page, 303) };
}
