import type { Context } from 'hono';
import { html } from 'hono/html';
import { listPolicies, stepsOfPolicy } from '../../db/queries/steps.js';
import type { WebDeps } from '../deps.js';
import { langOf, messages } from '../i18n.js';
import type { AdminEnv } from './env.js';
import { sitePath } from './paths.js';

/** Every step of every policy, to open one's own version of its texts. */
export async function myTemplatesPage(c: Context<AdminEnv>, deps: WebDeps) {
  const lang = langOf(c);
  const t = messages(lang);
  const policies = await listPolicies(deps.sql);
  const steps = await Promise.all(policies.map((p) => stepsOfPolicy(deps.sql, p.id)));
  return c.render(t.myTemplates, html`<h1>${t.myTemplates}</h1><p class="muted">${t.myTemplatesHelp}</p>
      ${policies.map((p, i) => html`<section class="card"><h2>${p.name}</h2><ul>${steps[i]!.map(
        (s) => html`<li>${s.level} · ${s.name} — ${(['email', 'letter'] as const).map((ch) => (['fr', 'en'] as const).map(
          (l) => html`<a href="${sitePath`/my-templates/${s.id}/${ch}/${l}`}">${ch} ${l.toUpperCase()}</a> `,
        ))}</li>`,
      )}</ul></section>`)}`);
}
