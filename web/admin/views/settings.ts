import { html } from 'hono/html';
import type { CompanySettings, SepaCreditorSettings } from '../../../db/queries/settings.js';
import type { StripeKeys } from '../../../db/queries/stripe.js';
import { formatMoney } from '../../../services/format.js';
import { supportedHolidayCountries } from '../../../workflows/schedule/holidays.js';
import type { Lang, Messages } from '../../i18n.js';
import type { Flash } from '../env.js';
import { flashOf } from './flash.js';

export type SettingsModel = {
  s: CompanySettings;
  sepa: SepaCreditorSettings;
  stripeKeys: StripeKeys;
  webhookUrl: string;
  /** What was typed, shown again after a refusal. */
  draft?: Record<string, string>;
  csrf: string;
  flash?: Flash;
  lang: Lang;
  t: Messages;
};

/** The company, its schedule, its SEPA creditor and its Stripe keys. */
export function settingsView({ s, sepa, stripeKeys, webhookUrl, draft, csrf, flash, lang, t }: SettingsModel) {
  const sepaValue = (name: keyof SepaCreditorSettings) => draft?.[`sepa.${name}`] ?? String(sepa[name] ?? '');
  const value = (name: keyof CompanySettings | 'minimumBalance', current: unknown) => draft?.[name] ?? String(current ?? '');
  const field = (name: keyof CompanySettings | 'minimumBalance', label: string, current: unknown, attrs = html``) =>
    html`<label>${label}<input name="${name}" value="${value(name, current)}" ${attrs}></label>`;
  return html`<h1>${t.settings}</h1>${flashOf(flash)}
      <form method="post" action="/settings" class="card form-grid">
        <input type="hidden" name="_csrf" value="${csrf}">
        <h2>${t.companyIdentity}</h2>
        ${field('companyName', t.companyName, s.companyName, html`required maxlength="200"`)}
        ${field('companyAddress', t.address, s.companyAddress)}
        ${field('companyEmail', t.email, s.companyEmail, html`type="email"`)}
        ${field('companyPhone', t.phone, s.companyPhone)}
        ${field('companyLegalForm', t.companyLegalForm, s.companyLegalForm, html`maxlength="40" placeholder="SAS"`)}
        ${field('companyCapital', t.companyCapital, s.companyCapital, html`maxlength="40" placeholder="10 000 €"`)}
        ${field('companySiret', t.companySiret, s.companySiret, html`inputmode="numeric" placeholder="123 456 789 00012"`)}
        ${field('companyRcs', t.companyRcs, s.companyRcs, html`maxlength="60" placeholder="Lyon"`)}
        ${field('companyVat', t.companyVat, s.companyVat, html`placeholder="FR12345678901"`)}
        <p class="muted">${t.legalMentionsHelp}</p>
        ${field('mailFrom', t.mailFrom, s.mailFrom, html`placeholder="Relance &lt;relances@example.com&gt;"`)}
        <h2>${t.schedule}</h2>
        ${field('timezone', t.timezone, s.timezone, html`required`)}
        ${field('sendHour', t.sendHour, s.sendHour, html`type="number" min="0" max="23" required`)}
        <label>${t.holidays}<select name="country">${supportedHolidayCountries.map(
          (cc) => html`<option ${value('country', s.country) === cc ? 'selected' : ''}>${cc}</option>`,
        )}</select></label>
        ${field('dueSoonDays', t.dueSoonDays, s.dueSoonDays, html`type="number" min="0" max="90" required`)}
        ${field('reviewHour', t.reviewHour, s.reviewHour, html`type="number" min="0" max="23" required`)}
        ${field('payLinkDays', t.payLinkDays, s.payLinkDays, html`type="number" min="1" max="3650" required`)}
        ${field('minimumBalance', t.minimumBalance, (s.minimumBalanceCents / 100).toFixed(2), html`inputmode="decimal"`)}
        <p class="muted">${t.minimumBalanceHelp(formatMoney(s.minimumBalanceCents, 'EUR', lang))}</p>
        <div><button type="submit" class="primary">${t.save}</button></div>
      </form>
      <form method="post" action="/settings/sepa" class="card form-grid" id="sepa">
        <input type="hidden" name="_csrf" value="${csrf}">
        <h2>${t.sepaCreditor}</h2>
        <label>${t.creditorName}<input name="name" value="${sepaValue('name')}" required maxlength="70"></label>
        <label>${t.creditorId}<input name="creditorId" value="${sepaValue('creditorId')}" required placeholder="FR72ZZZ123456"></label>
        <label>IBAN<input name="iban" value="${sepaValue('iban')}" required></label>
        <label>BIC<input name="bic" value="${sepaValue('bic')}"></label>
        <label>${t.leadDays}<input name="leadDays" type="number" min="0" max="30" value="${sepaValue('leadDays')}" required></label>
        <div><button type="submit" class="primary">${t.save}</button></div>
      </form>
      ${stripeSettingsCard(stripeKeys, webhookUrl, csrf, t)}`;
}

/** "sk_test_…a1b2": enough to recognise a key without showing it. */
export const maskedKey = (key: string | null) => (key ? `${key.slice(0, key.indexOf('_', 3) + 1)}…${key.slice(-4)}` : '');

/** The Stripe keys (shown masked, never sent back) and a button that tries them. */
export function stripeSettingsCard(keys: StripeKeys, webhookUrl: string, csrf: string, t: Messages) {
  const keyInput = (name: keyof StripeKeys, label: string, type = 'password') =>
    html`<label>${label}<input name="${name}" type="${type}" autocomplete="off" placeholder="${keys[name] ? `${maskedKey(keys[name])} (${t.saved})` : ''}"></label>`;
  return html`<form method="post" action="/settings/stripe" class="card form-grid" id="stripe">
    <input type="hidden" name="_csrf" value="${csrf}">
    <h2>${t.stripe}</h2>
    <p class="muted">${t.stripeHelp(webhookUrl)}</p>
    ${keyInput('secretKey', t.secretKey)}
    ${keyInput('publishableKey', t.publishableKey, 'text')}
    ${keyInput('webhookSecret', t.webhookSecret)}
    <div>
      <button type="submit" class="primary">${t.save}</button>
      <button type="button" hx-post="/settings/stripe/test" hx-target="#stripe-test" hx-swap="innerHTML" ${keys.secretKey ? '' : 'disabled'}>${t.testConnection}</button>
    </div>
    <div id="stripe-test" aria-live="polite"></div>
  </form>`;
}
