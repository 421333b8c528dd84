import { afterAll, beforeAll, expect, it, vi } from 'vitest';
import { dunningWorkflowId, startOrWakeDunning } from '../../services/temporal/dunning-client.js';
import { stateQuery } from '../../workflows/messages.js';
import { nextBusinessDay } from '../../workflows/schedule/business-days.js';
import { followed, signIn, ORIGIN } from '../helpers/admin-session.js';
import { makeCustomer, makeInvoice } from '../helpers/fixtures.js';
import { recordOperatorStop, upsertInvoice } from '../../db/queries/invoices.js';
import { startStack, type Stack } from '../helpers/stack.js';

let stack: Stack;
let db: Stack['db'];
let plain: Stack['client'];
let app: Stack['app'];
let session: { cookie: string; csrf: string };
let invoiceId: number;

beforeAll(async () => {
  stack = await startStack('page');
  ({ db, client: plain, app } = stack);
  session = await signIn(app, db.sql);
  const customerId = await makeCustomer(db.sql);
  const invoice = await makeInvoice(db.sql, customerId, { number: 'F-PAGE', dueDate: '2099-06-12', totalCents: 50_000 });
  invoiceId = invoice.id;
  await startOrWakeDunning(plain, 'page', { ...invoice, customerRef: 'C-page' });
  await vi.waitFor(async () => expect((await plain.workflow.getHandle(dunningWorkflowId(invoiceId)).query(stateQuery)).next).not.toBeNull());
});
afterAll(() => stack?.stop());

const view = async () => (await app.request('/invoices/F-PAGE', { headers: { cookie: session.cookie } })).text();
async function act(action: string, fields: Record<string, string>, csrf = session.csrf) {
  const res = await followed(app, await app.request(`/invoices/F-PAGE/${action}`, {
    method: 'POST',
    headers: { cookie: session.cookie, origin: ORIGIN, 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ ...fields, _csrf: csrf }).toString(),
  }), session.cookie);
  return { status: res.status, body: await res.text() };
}

it('shows the forecast, the live workflow and its Temporal UI link', async () => {
  const page = await view();
  expect(page).toContain('1 · Relance 1</td><td>12 juin 2099');
  expect(page).toContain('4 · Mise en demeure');
  expect(page).toContain('<strong>En cours</strong> · Planifiée');
  expect(page).toContain(`href="http://ui.test/namespaces/default/workflows/invoice-${invoiceId}"`);
});

it('pauses with a reason through the workflow, refuses without one, and resumes', async () => {
  expect((await act('pause', { reason: ' ' })).body).toContain('Refusé: Motif : obligatoire');
  const paused = await act('pause', { reason: 'Litige sur la livraison' });
  expect(paused.body).toContain('Fait.');
  expect(paused.body).toContain('Relances suspendues : Litige sur la livraison');
  expect((await plain.workflow.getHandle(dunningWorkflowId(invoiceId)).query(stateQuery)).hold).toBe('paused');
  const resumed = await act('resume', {});
  expect(resumed.body).toContain('Relances reprises');
  expect((await plain.workflow.getHandle(dunningWorkflowId(invoiceId)).query(stateQuery)).hold).toBeNull();
});

it('adds a note to the timeline, signed by the user, and refuses a post without the CSRF token', async () => {
  expect((await act('notes', { note: 'Appelé la comptable <b>demain</b>' }, 'forged')).status).toBe(403);
  const page = (await act('notes', { note: 'Appelé la comptable <b>demain</b>' })).body;
  expect(page).toContain('Appelé la comptable &lt;b&gt;demain&lt;/b&gt;');
  expect(page).toMatch(/finance-\w+@relance\.test/);
});

it('sends the browser back to the page after an action, shows what happened once, and a reload repeats nothing; a refusal is the page itself', async () => {
  const post = (note: string) => app.request('/invoices/F-PAGE/notes', {
    method: 'POST',
    headers: { cookie: session.cookie, origin: ORIGIN, 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ note, _csrf: session.csrf }).toString(),
  });
  const notes = async () => (await db.sql`select count(*)::int as n from follow_up_events where invoice_id = ${invoiceId} and kind = 'note'`)[0]!.n as number;
  const before = await notes();
  const posted = await post('Rappeler lundi');
  expect(posted.status).toBe(303);
  expect(posted.headers.get('location')).toBe('/invoices/F-PAGE');
  const shown = await view();
  expect(shown).toContain('<p class="notice" role="status">Fait.</p>');
  expect(shown).toContain('Rappeler lundi');
  const reloaded = await view();
  expect(reloaded).not.toContain('<p class="notice" role="status">Fait.</p>');
  expect(reloaded).toContain('Rappeler lundi');
  expect(await notes()).toBe(before + 1);

  const refused = await post('  ');
  expect(refused.status).toBe(422);
  expect(await refused.text()).toContain('<p class="error" role="status">Refusé: Note : obligatoire</p>');
  expect(await notes()).toBe(before + 1);
});

it('shows the customer with its invoices and reminders, and pauses the whole customer through its workflows', async () => {
  const [{ ref }] = await db.sql<[{ ref: string }]>`select c.ref from customers c join invoices i on i.customer_id = c.id where i.id = ${invoiceId}`;
  const page = await (await app.request(`/customers/${ref}`, { headers: { cookie: session.cookie } })).text();
  expect(page).toContain('Atelier Dupont SARL');
  expect(page).toContain('compta@dupont.example');
  expect(page).toContain('href="/invoices/F-PAGE"');
  const post = async (action: string, fields: Record<string, string>) =>
    followed(app, await app.request(`/customers/${ref}/${action}`, {
      method: 'POST',
      headers: { cookie: session.cookie, origin: ORIGIN, 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ ...fields, _csrf: session.csrf }).toString(),
    }), session.cookie);
  expect(await (await post('pause', { reason: '' })).text()).toContain('Motif : obligatoire');
  expect(await (await post('pause', { reason: 'Redressement judiciaire' })).text()).toContain('Fait.');
  const handle = plain.workflow.getHandle(dunningWorkflowId(invoiceId));
  await vi.waitFor(async () => expect((await handle.query(stateQuery)).hold).toBe('customer_paused'));
  expect(await view()).toContain('Relances suspendues pour tout le client : Redressement judiciaire');
  await post('resume', {});
  await vi.waitFor(async () => expect((await handle.query(stateQuery)).hold).toBeNull());
});

it('records a reminder made by hand at a later level, and the workflow plans the next one on the chosen date', async () => {
  expect((await act('manual-reminder', { level: '2', note: '', nextOn: '' })).body).toContain('Note : obligatoire');
  expect((await act('manual-reminder', { level: '2', note: 'Appel', nextOn: '2020-01-01' })).body).toContain('Prochaine relance : une date après aujourd');
  const done = await act('manual-reminder', { level: '2', note: 'Appel à la comptable, promesse de virement', nextOn: '2099-07-01' });
  expect(done.body).toContain('Relance 2 faite à la main : Appel à la comptable, promesse de virement — prochaine relance le 1er juillet 2099');
  const handle = plain.workflow.getHandle(dunningWorkflowId(invoiceId));
  await vi.waitFor(async () => expect((await handle.query(stateQuery)).next).toMatchObject({ level: 3, sendDate: nextBusinessDay('2099-07-01', 'FR') }));
  expect((await handle.query(stateQuery)).level).toBe(2);
  expect(await db.sql`select level, channel, status, note, next_planned_on from reminders where invoice_id = ${invoiceId}`).toEqual([
    { level: 2, channel: 'manual', status: 'sent', note: 'Appel à la comptable, promesse de virement', next_planned_on: '2099-07-01' },
  ]);
  expect((await act('manual-reminder', { level: '1', note: 'Encore', nextOn: '' })).body).toContain('Niveau : une des étapes après le niveau 2');
  // Nothing follows the last step: a next date there would be silently ignored, so it is refused, by name.
  const final = await act('manual-reminder', { level: '4', note: 'Remise en main propre', nextOn: '2099-08-01' });
  expect(final.body).toMatch(/Prochaine relance : « [^<]+ » est la dernière étape, rien ne la suit ; laissez la date vide/);
  expect((await db.sql`select count(*)::int as n from reminders where invoice_id = ${invoiceId}`)[0]!.n).toBe(1);
});

it('sends a chosen level now with the date of the next reminder, through the workflow', async () => {
  const sent = await act('send-now', { level: '3', note: 'Relance après appel', nextOn: '2099-09-01', channel: '' });
  expect(sent.body).toContain('<p class="notice" role="status">Relance de niveau 3 envoyée.</p>');
  const handle = plain.workflow.getHandle(dunningWorkflowId(invoiceId));
  await vi.waitFor(async () => expect((await handle.query(stateQuery)).next).toMatchObject({ level: 4, sendDate: nextBusinessDay('2099-09-01', 'FR') }));
  expect((await db.sql`select next_planned_on, note, channel from reminders where invoice_id = ${invoiceId} and level = 3`)[0]).toEqual({
    next_planned_on: '2099-09-01', note: 'Relance après appel', channel: 'email',
  });
});

it('marks a dispute and records a promise to pay from the page, naming bad fields, and the mass follow-up filters them', async () => {
  const state = () => plain.workflow.getHandle(dunningWorkflowId(invoiceId)).query(stateQuery);
  expect((await act('dispute', { reason: '', owner: 'alice' })).body).toContain('Motif : obligatoire');
  expect((await act('dispute', { reason: 'Prix contesté', owner: 'alice' })).body).toContain('data-testid="dispute-open"');
  expect((await act('dispute', { reason: 'Encore', owner: 'alice' })).body).toContain('Motif : un litige est déjà ouvert sur cette facture');
  await vi.waitFor(async () => expect((await state()).hold).toBe('disputed'));
  const disputed = await (await app.request('/invoices?situation=disputed', { headers: { cookie: session.cookie } })).text();
  expect(disputed).toContain('data-invoice="F-PAGE"');
  expect(await (await app.request('/invoices?situation=promised', { headers: { cookie: session.cookie } })).text()).not.toContain('data-invoice="F-PAGE"');
  await act('close-dispute', { resolution: 'Accord trouvé' });
  await vi.waitFor(async () => expect((await state()).hold).toBeNull());

  const tooMuch = await act('promise', { amount: '600.00', promisedOn: '2099-07-01' });
  expect(tooMuch.body).toContain('Montant : au plus le reste dû, 500,00');
  expect((await act('promise', { amount: 'abc', promisedOn: '2020-01-01' })).body).toContain('Montant : un montant supérieur à zéro');
  expect((await act('promise', { amount: '200', promisedOn: '2020-01-01' })).body).toContain('Payé au plus tard le : aujourd');
  expect(await db.sql`select 1 from payment_promises`).toHaveLength(0);
  expect((await act('promise', { amount: '200,00', promisedOn: '2099-07-01' })).body).toContain('data-testid="promise-pending"');
  await vi.waitFor(async () => expect((await state()).hold).toBe('promised'));
  expect(await (await app.request('/invoices?situation=promised', { headers: { cookie: session.cookie } })).text()).toContain('data-invoice="F-PAGE"');
  await act('withdraw-promise', {});
  await vi.waitFor(async () => expect((await state()).hold).toBeNull());
  const timeline = await view();
  for (const entry of ['Litige : Prix contesté (suivi par alice)', 'Litige clos : Accord trouvé', 'Promesse de payer 200,00\u00a0€ au plus tard le 1er juillet 2099', 'a été retirée']) {
    expect(timeline).toContain(entry);
  }
});

it('records a payment, naming a bad amount, and the workflow ends as paid', async () => {
  expect((await act('payments', { amount: '-3', paidOn: '2026-11-20', method: 'transfer' })).body).toContain('Montant : un montant positif');
  const paid = await act('payments', { amount: '500,00', paidOn: '2026-11-20', method: 'transfer' });
  expect(paid.body).toMatch(/data-testid="balance">0,00\s€/);
  expect(await plain.workflow.getHandle(dunningWorkflowId(invoiceId)).result()).toEqual({ status: 'paid', level: 3 });
});

it('shows each installment paid, due or to come, and the balance split between what is due and what is not yet', async () => {
  const customerId = await makeCustomer(db.sql);
  await upsertInvoice(db.sql, {
    number: 'F-STAGES', customerId, issueDate: '2026-01-10', dueDate: '2099-03-01', currency: 'EUR', totalCents: 300_000, status: 'open',
    installments: [
      { seq: 1, dueDate: '2026-01-10', amountCents: 50_000, label: 'Commande' },
      { seq: 2, dueDate: '2026-02-10', amountCents: 100_000, label: 'Livraison' },
      { seq: 3, dueDate: '2099-03-01', amountCents: 150_000, label: 'Réception' },
    ],
  });
  await db.sql`update invoices set paid_cents = 80000 where number = 'F-STAGES'`;
  const page = await (await app.request('/invoices/F-STAGES', { headers: { cookie: session.cookie } })).text();
  const rows = [...page.matchAll(/<tr class="installment-(\w+)">(.*?)<\/tr>/g)].map((m) => [m[1], m[2]!.replace(/\s*<[^>]+>\s*/g, '|').replace(/\|+/g, '|')]);
  expect(rows).toEqual([
    ['paid', expect.stringMatching(/10 janvier 2026\|Commande\|500,00\s€\|500,00\s€\|0,00\s€\|Payée/)],
    ['due', expect.stringMatching(/10 février 2026\|Livraison\|1\s000,00\s€\|300,00\s€\|700,00\s€\|Échue/)],
    ['to_come', expect.stringMatching(/1er mars 2099\|Réception\|1\s500,00\s€\|0,00\s€\|1\s500,00\s€\|À échoir/)],
  ]);
  expect(page).toMatch(/data-testid="balance-split">dont 700,00\s€ échu et 1\s500,00\s€ à échoir/);
});

it("shows an operator's stop, forecasts nothing while it lasts, and lifts it on resume, starting the workflow again", async () => {
  const customerId = await makeCustomer(db.sql);
  const invoice = await makeInvoice(db.sql, customerId, { number: 'F-STOPPED', dueDate: '2099-06-12', totalCents: 20_000 });
  await recordOperatorStop(db.sql, { invoiceId: invoice.id, how: 'terminated', at: Date.now() });
  const page = await (await app.request('/invoices/F-STOPPED', { headers: { cookie: session.cookie } })).text();
  expect(page).toContain('data-testid="stopped">Arrêtée par un opérateur');
  expect(page).toContain('arrêtée par un opérateur dans Temporal');
  expect(page).not.toContain('class="forecast"');
  const list = await (await app.request('/invoices?situation=stopped', { headers: { cookie: session.cookie } })).text();
  expect(list).toContain('data-invoice="F-STOPPED"');
  expect(list).not.toContain('data-invoice="F-PAGE"');

  const res = await followed(app, await app.request('/invoices/F-STOPPED/resume', {
    method: 'POST', headers: { cookie: session.cookie, origin: ORIGIN, 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ _csrf: session.csrf }).toString(),
  }), session.cookie);
  expect(await res.text()).toContain('Relances reprises après un arrêt par un opérateur');
  await vi.waitFor(async () => expect((await plain.workflow.getHandle(dunningWorkflowId(invoice.id)).query(stateQuery)).next?.level).toBe(1));
  expect(await db.sql`select stopped_at from invoices where id = ${invoice.id}`).toEqual([{ stopped_at: null }]);
});

it('says in red when "send now" could not send, with the reason and what to do, and never in green', async () => {
  const customerId = await makeCustomer(db.sql, { ref: 'C-NOMAIL', emails: [] });
  const invoice = await makeInvoice(db.sql, customerId, { number: 'F-NOMAIL', dueDate: '2099-06-12', totalCents: 20_000 });
  await startOrWakeDunning(plain, 'page', { ...invoice, customerRef: 'C-NOMAIL' });
  await vi.waitFor(async () => expect((await plain.workflow.getHandle(dunningWorkflowId(invoice.id)).query(stateQuery)).next).not.toBeNull());
  const res = await app.request('/invoices/F-NOMAIL/send-now', {
    method: 'POST',
    headers: { cookie: session.cookie, origin: ORIGIN, 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ level: '1', channel: 'email', _csrf: session.csrf }).toString(),
  });
  const body = (await res.text()).replaceAll('&#39;', "'");
  expect(body).toContain('<p class="error" role="status">La relance de niveau 1 n\'a pas pu partir : pas d\'adresse e-mail pour ce client. Corrigez les coordonnées du client sur sa fiche, puis réessayez.</p>');
  expect(body).not.toContain('class="notice"');
});
