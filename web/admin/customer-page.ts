import type { Context } from 'hono';
import { html } from 'hono/html';
import { formatDate, formatMoney } from '../../activities/format.js';
import { customerByRef, invoicesOfCustomer, remindersOfCustomer } from '../../db/queries/customers.js';
import { getSettings } from '../../db/queries/settings.js';
import type { WebDeps } from '../deps.js';
import { langOf, messages } from '../i18n.js';
import { setCustomerPause } from '../invoice-actions.js';
import type { AdminEnv } from './index.js';
import { layout } from './layout.js';

/** A customer's page: contact, invoices with balances, and every reminder across them (source 003). */
export async function customerPage(c: Context<AdminEnv>, deps: WebDeps, flash?: { ok: boolean; text: string }) {
  const lang = langOf(c);
  const t = messages(lang);
  const customer = await customerByRef(deps.sql, c.req.param('ref')!);
  if (!customer) return c.html(layout({ title: t.notFound, lang, t, user: c.get('user'), body: html`<p class="card">${t.notFound}</p>` }), 404);
  const [invoices, reminders, settings] = await Promise.all([
    invoicesOfCustomer(deps.sql, customer.id),
    remindersOfCustomer(deps.sql, customer.id),
    getSettings(deps.sql),
  ]);
  const when = new Intl.DateTimeFormat(lang === 'en' ? 'en-GB' : 'fr-FR', { dateStyle: 'short', timeStyle: 'short', timeZone: settings.timezone });
  const csrf = c.get('user').csrfToken;
  return c.html(
    layout({
      title: customer.name, lang, t, user: c.get('user'),
      body: html`<h1>${customer.name} <span class="badge">${customer.ref}</span>${customer.paused ? html` <span class="badge">${t.paused}</span>` : ''}</h1>
      ${flash ? html`<p class="${flash.ok ? 'notice' : 'error'}" role="status">${flash.text}</p>` : ''}
      <div class="grid2">
        <section class="card"><h2>${t.contact}</h2>
          <p>${[customer.addressLine1, customer.addressLine2, `${customer.postalCode} ${customer.city}`.trim(), customer.country].filter(Boolean).map((l) => html`${l}<br>`)}</p>
          <p>${customer.emails.length ? customer.emails.join(', ') : html`<span class="failed">⚠ ${t.noEmail}</span>`}</p>
          <p class="muted">${t.language}: ${customer.language}</p>
          ${customer.paused && customer.pauseReason ? html`<p class="muted">${t.reason}: ${customer.pauseReason}</p>` : ''}
          <form method="post" action="/customers/${customer.ref}/${customer.paused ? 'resume' : 'pause'}" class="action">
            <input type="hidden" name="_csrf" value="${csrf}">
            ${customer.paused ? '' : html`<input name="reason" placeholder="${t.reason}" required maxlength="500">`}
            <button type="submit">${customer.paused ? t.resumeCustomer : t.pauseCustomer}</button>
          </form>
        </section>
        <section class="card"><h2>${t.invoices}</h2>
          <table><thead><tr><th>${t.invoice}</th><th>${t.dueDate}</th><th class="num">${t.balance}</th><th>${t.status}</th><th>${t.level}</th></tr></thead>
          <tbody>${invoices.map(
            (i) => html`<tr><td><a href="/invoices/${encodeURIComponent(i.number)}">${i.number}</a></td><td>${i.dueDate ? formatDate(i.dueDate, lang) : ''}</td>
              <td class="num">${formatMoney(i.totalCents - i.paidCents, i.currency, lang)}</td><td>${i.status}</td><td>${i.lastLevel || ''}</td></tr>`,
          )}</tbody></table>
        </section>
      </div>
      <section class="card"><h2>${t.reminders}</h2>
        ${reminders.length === 0 ? html`<p class="muted">${t.none}</p>` : html`<table>
          <thead><tr><th>Id</th><th>${t.invoice}</th><th>${t.note}</th><th>${t.level}</th><th>${t.user}</th><th>${t.date}</th><th>${t.nextDate}</th><th>${t.status}</th></tr></thead>
          <tbody>${reminders.map(
            (r) => html`<tr><td>${r.id}</td><td>${r.invoiceNumber}</td><td>${r.note ?? ''}</td><td>${r.level} · ${r.stepName}</td><td>${r.performedBy}</td>
              <td class="nowrap">${when.format(r.at)}</td><td>${r.nextPlannedOn ? formatDate(r.nextPlannedOn, lang) : ''}</td><td>${r.status}</td></tr>`,
          )}</tbody></table>`}
      </section>`,
    }),
  );
}

export async function customerPauseAction(c: Context<AdminEnv>, deps: WebDeps) {
  const t = messages(langOf(c));
  const customer = await customerByRef(deps.sql, c.req.param('ref')!);
  if (!customer) return customerPage(c, deps);
  const paused = c.req.param('action') === 'pause';
  const reason = String((await c.req.parseBody()).reason ?? '').trim();
  if (paused && !reason) return customerPage(c, deps, { ok: false, text: `${t.refused}: reason: required` });
  await setCustomerPause(deps, customer.id, { paused, reason: paused ? reason : null, actor: c.get('user').email });
  return customerPage(c, deps, { ok: true, text: t.done });
}
