import { html } from 'hono/html';
import type { listPolicies, stepsOfPolicy } from '../../../db/queries/steps.js';
import type { Messages } from '../../i18n.js';
import { sitePath } from '../paths.js';

export type MyTemplatesModel = { policies: Awaited<ReturnType<typeof listPolicies>>; steps: Awaited<ReturnType<typeof stepsOfPolicy>>[]; t: Messages };

/** Every step of every policy, to open one's own version of its texts. */
export function myTemplatesView({ policies, steps, t }: MyTemplatesModel) {
  return html`<h1>${t.myTemplates}</h1><p class="muted">${t.myTemplatesHelp}</p>
      ${policies.map((p, i) => html`<section class="card"><h2>${p.name}</h2><ul>${steps[i]!.map(
        (s) => html`<li>${s.level} · ${s.name} — ${(['email', 'letter'] as const).map((ch) => (['fr', 'en'] as const).map(
          (l) => html`<a href="${sitePath`/my-templates/${s.id}/${ch}/${l}`}">${t.channels[ch]} ${l.toUpperCase()}</a> `,
        ))}</li>`,
      )}</ul></section>`)}`;
}
