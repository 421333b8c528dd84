import { afterAll, beforeAll, expect, it, vi } from 'vitest';
import { createPolicy, defaultPolicyId, sendingOptionsOf, setCustomerPolicy } from '../../db/queries/steps.js';
import { dunningWorkflowId, startOrWakeDunning } from '../../services/temporal/dunning-client.js';
import { stateQuery } from '../../workflows/messages.js';
import { nextBusinessDay } from '../../workflows/schedule/business-days.js';
import { addDays } from '../../workflows/schedule/calendar-date.js';
import { instantAt, localDate } from '../../workflows/schedule/zoned-time.js';
import { adminBrowser, signIn } from '../helpers/admin-session.js';
import { makeCustomer, makeInvoice } from '../helpers/fixtures.js';
import { startStack, type Stack } from '../helpers/stack.js';
import { recordHistory } from '../helpers/histories.js';
import { statementWorkflowId } from '../../workflows/ids.js';

let stack: Stack;
let db: Stack['db'];
let app: Stack['app'];
let admin: { cookie: string; csrf: string };

beforeAll(async () => {
  stack = await startStack('review');
  ({ db, app } = stack);
  admin = await signIn(app, db.sql, 'admin');
});
afterAll(() => stack?.stop());

const post = (path: string, fields: Record<string, string>) => adminBrowser(app, admin).post(path, fields);
const get = (path: string) => adminBrowser(app, admin).get(path);

it("lists tomorrow's pass for review; once approved, each customer gets one statement and a held invoice waits", async () => {
  const policy = await createPolicy(db.sql, 'Grands comptes', (await defaultPolicyId(db.sql))!);
  expect(await post(`/settings/policies/${policy}/sending`, { statementMode: 'on', needsApproval: 'on' })).toContain('Done.');
  expect(await sendingOptionsOf(db.sql, policy)).toEqual({ statementMode: true, needsApproval: true, catchUp: 'first_step' });

  const today = localDate(await stack.env.currentTimeMs(), 'Europe/Paris');
  const passDate = nextBusinessDay(addDays(today, 1), 'FR');
  const customer = async (ref: string, reviewed = true) => {
    const id = await makeCustomer(db.sql, { ref, name: `Client ${ref}`, emails: [`${ref.toLowerCase()}@example.com`] });
    if (reviewed) await setCustomerPolicy(db.sql, id, { policyId: policy, excluded: false, isBusiness: true });
    return id;
  };
  const [one, two, auto] = [await customer('C-ONE'), await customer('C-TWO'), await customer('C-AUTO', false)];
  const invoices = {
    oneA: await makeInvoice(db.sql, one, { number: 'R-ONE-A', dueDate: passDate, totalCents: 10_000 }),
    oneB: await makeInvoice(db.sql, one, { number: 'R-ONE-B', dueDate: passDate, totalCents: 20_000 }),
    twoA: await makeInvoice(db.sql, two, { number: 'R-TWO-A', dueDate: passDate, totalCents: 30_000 }),
    twoB: await makeInvoice(db.sql, two, { number: 'R-TWO-B', dueDate: passDate, totalCents: 40_000 }),
    auto: await makeInvoice(db.sql, auto, { number: 'R-AUTO', dueDate: passDate, totalCents: 50_000 }),
  };
  for (const inv of Object.values(invoices)) await startOrWakeDunning(stack.client, 'review', { ...inv, customerRef: 'C-x' });

  const page = await get(`/review?date=${passDate}`);
  expect(page).toMatch(/1 · Relance 1<\/td><td>E-mail<\/td><td class="num">5<\/td><td class="num">€1,500\.00/);
  expect(page.match(/awaiting approval/g)).toHaveLength(4);
  expect(page).toMatch(/R-AUTO<\/a>.*?automatic/s);

  await post(`/review/${passDate}/hold`, { invoice: String(invoices.twoB.id), held: 'on' });
  expect(await post(`/review/${passDate}/approve`, {})).toContain('data-testid="review-approved"');

  // The day comes: the approved invoices go out as one statement per customer, the held one waits.
  await stack.env.sleep(instantAt(passDate, 9, 'Europe/Paris') - (await stack.env.currentTimeMs()) + 5 * 60_000);
  const mails = await vi.waitFor(async () => {
    const rows = await db.sql<{ to: string[]; subject: string; html: string }[]>`select mail_to as to, subject, html from outbox order by id`;
    expect(rows).toHaveLength(3);
    return rows;
  }, { timeout: 20_000 });
  const to = (who: string) => mails.filter((m) => m.to.includes(who));
  expect(to('c-one@example.com')).toHaveLength(1);
  expect(to('c-one@example.com')[0]!.html).toMatch(/R-ONE-A.*R-ONE-B/s);
  expect(to('c-two@example.com')).toHaveLength(1);
  expect(to('c-two@example.com')[0]!.html).not.toContain('R-TWO-B');
  expect(to('c-auto@example.com')[0]!.subject).toContain('R-AUTO');
  expect((await stack.client.workflow.getHandle(dunningWorkflowId(invoices.twoB.id)).query(stateQuery)).hold).toBe('held_in_review');
  expect(await db.sql`select count(*)::int as n from reminders where invoice_id = ${invoices.twoB.id}`).toEqual([{ n: 0 }]);
  const [statement] = await db.sql<{ id: number }[]>`select id from statements order by id limit 1`;
  await recordHistory(stack.client.workflow.getHandle(statementWorkflowId(statement!.id)), 'customer-statement');
});
