import type { Context } from 'hono';
import { z } from 'zod';
import { configuredStripe } from '../../services/stripe/stripe-client.js';
import { stripeErrorMessage } from '../../services/stripe/stripe-errors.js';
import { writeAudit } from '../../db/queries/audit.js';
import { getStripeKeys, saveStripeKeys, type StripeKeys } from '../../db/queries/stripe.js';
import type { WebDeps } from '../deps.js';
import { langOf, messages } from '../i18n.js';
import { parseForm, refusal } from './form.js';
import type { AdminEnv } from './env.js';
import { maskedKey } from './views/settings.js';
import type { Flash } from './flash.js';
import { flashOf } from './views/flash.js';

// A blank field keeps the saved key: secrets are never sent back to the browser.
const keyField = (pattern: RegExp, message: string) =>
  z.string().trim().refine((v) => v === '' || pattern.test(v), message).transform((v) => v || undefined);

const stripeForm = z.object({
  secretKey: keyField(/^(sk|rk)_(test|live)_[A-Za-z0-9]{8,}$/, 'a secret key such as sk_live_… or sk_test_… (or a restricted rk_… key)'),
  publishableKey: keyField(/^pk_(test|live)_[A-Za-z0-9]{8,}$/, 'a publishable key such as pk_live_… or pk_test_…'),
  webhookSecret: keyField(/^whsec_[A-Za-z0-9+/=]{8,}$/, 'the whsec_… signing secret of the webhook endpoint'),
});

const modeOf = (key: string | null) => (key ? /_(test|live)_/.exec(key)?.[1] : undefined);

export async function saveStripeSettings(c: Context<AdminEnv>, deps: WebDeps): Promise<Flash> {
  const t = messages(langOf(c));
  const form = Object.fromEntries(Object.entries(await c.req.parseBody()).map(([k, v]) => [k, String(v)]));
  const parsed = parseForm(stripeForm, form, langOf(c));
  if (!parsed.ok) return { ok: false, text: `${t.refused}: ${parsed.message}` };
  const before = await getStripeKeys(deps.sql);
  const after: StripeKeys = {
    secretKey: parsed.value.secretKey ?? before.secretKey,
    publishableKey: parsed.value.publishableKey ?? before.publishableKey,
    webhookSecret: parsed.value.webhookSecret ?? before.webhookSecret,
  };
  if (after.publishableKey && after.secretKey && modeOf(after.publishableKey) !== modeOf(after.secretKey)) {
    return { ok: false, text: refusal(c, 'publishableKey', `not the same mode (test or live) as the secret key`) };
  }
  await saveStripeKeys(deps.sql, after);
  // The audit shows which keys changed, never the keys.
  const audited = (k: StripeKeys) => Object.fromEntries(Object.entries(k).map(([name, v]) => [name, maskedKey(v)]));
  await writeAudit(deps.sql, { userId: c.get('user').id, action: 'settings.stripe', entity: 'settings', before: audited(before), after: audited(after) });
  return { ok: true, text: t.done };
}

/** Asks Stripe who the saved key belongs to: the answer, or Stripe's reason for refusing it. */
export async function testStripeConnection(c: Context<AdminEnv>, deps: WebDeps) {
  const t = messages(langOf(c));
  const stripe = await configuredStripe(deps.sql, deps.stripe);
  if (!stripe) return c.html(flashOf({ ok: false, text: t.stripeNotConfigured }));
  try {
    const account = await stripe.accounts.retrieveCurrent();
    const name = account.settings?.dashboard?.display_name ?? account.business_profile?.name;
    const { secretKey } = await getStripeKeys(deps.sql);
    return c.html(flashOf({ ok: true, text: t.stripeConnected(name ? `${name} (${account.id})` : account.id, modeOf(secretKey) === 'live') }));
  } catch (err) {
    return c.html(flashOf({ ok: false, text: stripeErrorMessage(err) }));
  }
}
