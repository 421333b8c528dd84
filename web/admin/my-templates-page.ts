import type { Context } from 'hono';
import { listPolicies, stepsOfPolicy } from '../../db/queries/steps.js';
import type { WebDeps } from '../deps.js';
import { langOf, messages } from '../i18n.js';
import type { AdminEnv } from './env.js';
import { myTemplatesView } from './views/my-templates.js';

export async function myTemplatesPage(c: Context<AdminEnv>, deps: WebDeps) {
  const t = messages(langOf(c));
  const policies = await listPolicies(deps.sql);
  const steps = await Promise.all(policies.map((p) => stepsOfPolicy(deps.sql, p.id)));
  return c.render(t.myTemplates, myTemplatesView({ policies, steps, t }));
}
