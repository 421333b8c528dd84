import { afterAll, beforeAll, expect, it } from 'vitest';
import { recordPayment } from '../../db/queries/payments.js';
import { formatMoney } from '../../services/format.js';
import { addDays } from '../../workflows/schedule/calendar-date.js';
import { collectionSnapshot } from '../../workflows/collection-snapshot.js';
import { localDate } from '../../workflows/schedule/zoned-time.js';
import { signIn } from '../helpers/admin-session.js';
import { makeCustomer, makeInvoice } from '../helpers/fixtures.js';
import { recordHistory } from '../helpers/histories.js';
import { startStack, type Stack } from '../helpers/stack.js';

let stack: Stack;
let cookie: string;
const today = localDate(Date.now(), 'Europe/Paris');
const ago = (days: number) => addDays(today, -days);

beforeAll(async () => {
  stack = await startStack('analytics');
  const sql = stack.db.sql;
  const slow = await makeCustomer(sql, { ref: 'C-SLOW', name: 'Lent & Fils' });
  const quick = await makeCustomer(sql, { ref: 'C-QUICK', name: 'Rapide SA' });
  // Issued 100 days ago, due 70 days ago, 400 € paid 50 days ago: 600 € still owed.
  const slowInvoice = await makeInvoice(sql, slow, { number: 'F-A-SLOW', issueDate: ago(100), dueDate: ago(70), totalCents: 100_000 });
  await recordPayment(sql, { invoiceId: slowInvoice.id, amountCents: 40_000, currency: 'EUR', paidOn: ago(50), method: 'transfer', source: 'manual', externalId: 'a-1', actor: 'test' });
  // Issued 40 days ago, due 30 days ago, reminded 20 days ago, paid in full 16 days ago.
  const quickInvoice = await makeInvoice(sql, quick, { number: 'F-A-QUICK', issueDate: ago(40), dueDate: ago(30), totalCents: 50_000 });
  await sql`insert into reminders (invoice_id, level, step_name, channel, status, sent_at, idempotency_key)
    values (${quickInvoice.id}, 1, 'Relance 1', 'email', 'sent', ${new Date(`${ago(20)}T09:00:00Z`)}, 'analytics-1'),
           (${slowInvoice.id}, 1, 'Relance 1', 'email', 'sent', ${new Date(`${ago(60)}T09:00:00Z`)}, 'analytics-2')`;
  await recordPayment(sql, { invoiceId: quickInvoice.id, amountCents: 50_000, currency: 'EUR', paidOn: ago(16), method: 'transfer', source: 'manual', externalId: 'a-2', actor: 'test' });
  ({ cookie } = await signIn(stack.app, sql));
}, 120_000);
afterAll(() => stack?.stop());

const page = async (path: string) => (await stack.app.request(path, { headers: { cookie: `${cookie}; relance_lang=fr` } })).text();

it('computes the year back from invoices and payments on its first run, then keeps one snapshot a day', async () => {
  expect(await page('/analytics')).toContain('data-testid="no-snapshot"');
  const handle = await stack.client.workflow.start(collectionSnapshot, { taskQueue: 'analytics', workflowId: 'collection-snapshot-test' });
  const first = await handle.result();
  // From the first invoice, 100 days ago, to today.
  expect(first).toEqual({ today, days: 101 });
  await recordHistory(handle, 'collection-snapshot');
  const snapshot = async (day: string) =>
    (await stack.db.sql`select receivable_cents as r, overdue_cents as o, sales_90_cents as s, aging from collection_snapshots where day = ${day}`)[0];
  // 60 days ago: the slow invoice owed in full, 10 days past due; the quick one not issued yet.
  expect(await snapshot(ago(60))).toEqual({ r: 100_000, o: 100_000, s: 100_000, aging: { not_due: 0, '1-30': 100_000, '31-60': 0, '61-90': 0, '>90': 0 } });
  // 20 days ago: 600 € of the slow one 50 days late, the quick one 10 days late.
  expect(await snapshot(ago(20))).toEqual({ r: 110_000, o: 110_000, s: 150_000, aging: { not_due: 0, '1-30': 50_000, '31-60': 60_000, '61-90': 0, '>90': 0 } });
  // Today: only what the slow customer owes, 70 days late; the last 90 days invoiced the quick one.
  expect(await snapshot(today)).toEqual({ r: 60_000, o: 60_000, s: 50_000, aging: { not_due: 0, '1-30': 0, '31-60': 0, '61-90': 60_000, '>90': 0 } });
  const again = await stack.client.workflow.execute(collectionSnapshot, { taskQueue: 'analytics', workflowId: 'collection-snapshot-test-2' });
  expect(again).toEqual({ today, days: 1 });
});

it("shows DSO, what is overdue and aging month by month, which reminder works, and each customer's habits, with CSV exports", async () => {
  const analytics = await page('/analytics');
  expect(analytics).not.toContain('data-testid="no-snapshot"');
  expect(analytics).toContain('<svg class="chart" role="img" aria-label="DSO (délai moyen de paiement)"');
  // Today's DSO: 600 € owed over 500 € invoiced in 90 days, × 90 = 108 days.
  const months = /data-testid="months">([\s\S]*?)<\/table>/.exec(analytics)![1]!;
  expect(months).toContain('108 j');
  expect(months).toContain(formatMoney(60_000, 'EUR', 'fr'));
  // Two first reminders: one paid in full within 7 days (4 days after), one not; 500 € came in within 30 days of them, 400 € on the other.
  const effects = /data-testid="effects">([\s\S]*?)<\/table>/.exec(analytics)![1]!.replace(/\s+/g, ' ');
  expect(effects).toMatch(/1 · Relance 1<\/td><td>E-mail<\/td><td class="num">2<\/td> <td class="num">1 <span class="muted">50 %<\/span><\/td>/);
  expect(effects).toContain(formatMoney(90_000, 'EUR', 'fr').replace(/\s+/g, ' '));
  const customers = /data-testid="customers">([\s\S]*?)<\/table>/.exec(analytics)![1]!;
  expect(customers.indexOf('Lent &amp; Fils')).toBeLessThan(customers.indexOf('Rapide SA'));
  // The quick customer paid 14 days after the due date.
  expect(customers).toMatch(/Rapide SA<\/a><\/td><td class="num">0,00\s€<\/td>\s*<td class="num">14 j<\/td>/);

  const csv = await stack.app.request('/analytics/reminders.csv', { headers: { cookie: `${cookie}; relance_lang=fr` } });
  const bytes = new Uint8Array(await csv.arrayBuffer());
  // A BOM first, so a spreadsheet reads the accents as UTF-8.
  expect([...bytes.slice(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
  const text = new TextDecoder().decode(bytes);
  expect(text.split('\n')[0]).toBe('Niveau;Étape;Canal;Devise;Envoyées;Réglées sous 7 j;Réglées sous 15 j;Réglées sous 30 j;Encaissé sous 30 j');
  expect(text).toContain('1;Relance 1;E-mail;EUR;2;1;1;1;900,00');
  const standard = await (await stack.app.request('/analytics/months.csv?style=standard', { headers: { cookie } })).text();
  expect(standard.split('\n')[0]).toBe('month_end,dso_days,receivable,overdue,aging_not_due,aging_1-30,aging_31-60,aging_61-90,aging_>90');
});
