import { afterAll, beforeAll, expect, it } from 'vitest';
import { insertEvent, type FollowUpEvent } from '../../db/queries/events.js';
import { getSettings } from '../../db/queries/settings.js';
import { loadDemoData } from '../../db/seed/demo.js';
import { localDate } from '../../workflows/schedule/zoned-time.js';
import { messages } from '../../web/i18n.js';
import { signIn } from '../helpers/admin-session.js';
import { startStack, type Stack } from '../helpers/stack.js';

// A French finance team's day: every admin page reachable from the menu, in French, on the demo
// data, must not show a word of the app's own English vocabulary (built from the English catalogue,
// minus the words French shares with it).

let stack: Stack;
let cookie: string;
let chased: string;
/** The words of the company's own data (customer names and addresses, steps): theirs, not the app's. */
let dataWords: Set<string>;

/** Every string of a catalogue, its functions called with sample arguments. */
function strings(value: unknown): string[] {
  if (typeof value === 'string') return [value];
  if (typeof value === 'function') return strings((value as (...a: unknown[]) => unknown)(2, 'x', 3, 'y'));
  if (value && typeof value === 'object') return Object.values(value).flatMap(strings);
  return [];
}
const words = (text: string) => (text.toLowerCase().match(/\p{L}+/gu) ?? []).filter((w) => w.length >= 4);

// Names of things that stay as they are in French: products, standards, codes.
const SAME_IN_FRENCH = new Set(['stripe', 'sepa', 'iban', 'temporal', 'relance', 'resend', 'html', 'json', 'csv', 'e-mail', 'email', 'mail', 'pain', 'frst', 'rcur', 'ooff', 'fnal', 'webhook', 'https', 'http', 'live', 'test', 'sk_live', 'whsec']);
const french = new Set(strings(messages('fr')).flatMap(words));
const ENGLISH = new Set(strings(messages('en')).flatMap(words).filter((w) => !french.has(w) && !SAME_IN_FRENCH.has(w)));

/** What a reader sees of a page: its text, and the words of its placeholders, titles and labels. */
function readable(page: string): string {
  const attributes = [...page.matchAll(/\s(?:placeholder|title|aria-label)="([^"]*)"/g)].map((m) => m[1]);
  const text = page
    // Code is not prose (merge fields, CSV columns), and a template's text is in its customer's language.
    .replace(/<(script|style|code|pre|textarea)[\s\S]*?<\/\1>/g, ' ')
    // Text marked as in another language (an English customer's e-mail subject) is the customer's, not the app's.
    .replace(/<(\w+)[^>]*\slang="(?!fr")[^"]*"[^>]*>[\s\S]*?<\/\1>/g, ' ')
    .replace(/<[^>]+>/g, ' ')
    .replace(/&nbsp;|&#160;/g, ' ').replace(/&amp;/g, '&').replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&#39;/g, "'");
  // E-mail addresses are the customers' and the company's (the demo's end in ".example").
  const noAddress = (s: string) => s.replace(/[\w.+-]+@[\w-]+(\.[\w-]+)+/g, ' ');
  return noAddress(`${text} ${attributes.join(' ')}`);
}

// Downloads, the sandboxed e-mail bodies the customer reads (in their own language), sign-out and the language switch.
const NOT_PAGES = /^\/(logout|lang\/|static\/|documents\/|late-charge-notes\/|templates\/preview\/)|\.(csv|pdf|zip)(\?|$)|\/html$/;

beforeAll(async () => {
  stack = await startStack('crawl');
  const { timezone } = await getSettings(stack.db.sql);
  await loadDemoData(stack.db.sql, localDate(Date.now(), timezone), { invoices: 40 });
  const [inv] = await stack.db.sql<{ id: number; number: string }[]>`select id, number from invoices where status = 'open' order by id limit 1`;
  chased = inv!.number;
  // One entry of every kind on one invoice's timeline, as the parts that write them do.
  const base = { invoiceId: inv!.id, actor: 'alice@relance.test' };
  const entries: FollowUpEvent[] = [
    { ...base, kind: 'document_sent', params: { sentOn: '2026-07-01' } },
    { ...base, kind: 'reminder_sent', params: { step: 'Relance 1', recipients: ['compta@client.example'], withPdf: true, alsoByLetter: true, note: 'appel prévu' } },
    { ...base, kind: 'reminder_sent', params: { step: 'Relance 2', recipients: ['compta@client.example'], statementOf: 3 } },
    { ...base, kind: 'reminder_failed', params: { step: 'Relance 2', reason: 'Resend 422', inStatement: true } },
    { ...base, kind: 'letter_prepared', params: { step: 'Mise en demeure', statementOf: 2 } },
    { ...base, kind: 'letter_printed', params: { step: 'Mise en demeure' } },
    { ...base, kind: 'tracking_recorded', params: { step: 'Mise en demeure', trackingNumber: '1A12345678901' } },
    { ...base, kind: 'reminder_manual', params: { step: 'Relance 2', note: 'appel', nextOn: '2026-08-01' } },
    { ...base, kind: 'payment_received', params: { amountCents: 12_000, currency: 'EUR', method: 'transfer', paidOn: '2026-07-15', balanceCents: 3_000 } },
    { ...base, kind: 'paused', params: { reason: 'Litige', wholeCustomer: true } },
    { ...base, kind: 'paused', params: { reason: 'statement #4 cancelled by bob', cause: { statementCancelled: 4, by: 'bob' } } },
    { ...base, kind: 'paused', params: { reason: 'import #2 cancelled by bob', cause: { importCancelled: 2, by: 'bob' } } },
    { ...base, kind: 'resumed', params: { afterStop: true } },
    { ...base, kind: 'resumed', params: {} },
    { ...base, kind: 'dunning_stopped', params: { how: 'terminated' } },
    { ...base, kind: 'dunning_repaired', params: { lastEnded: 'terminated' } },
    { ...base, kind: 'dunning_repaired', params: { lastEnded: null } },
    { ...base, kind: 'dunning_litigation', params: { step: 'Mise en demeure' } },
    { ...base, kind: 'dunning_completed', params: {} },
    { ...base, kind: 'sepa_run_failed', params: { runId: 3, reason: 'BIC manquant' } },
    { ...base, kind: 'sepa_run_cancelled', params: { runId: 3, by: 'bob' } },
    { ...base, kind: 'sepa_collection_sent', params: { amountCents: 5_000, collectionDate: '2026-07-20', sequence: 'FRST' } },
    { ...base, kind: 'sepa_collection_sent', params: { amountCents: 5_000, paymentIntentId: 'pi_123' } },
    { ...base, kind: 'sepa_collection_rejected', params: { reason: 'AM04', viaStripe: true } },
    { ...base, kind: 'dispute_opened', params: { reason: 'Prix', owner: 'alice' } },
    { ...base, kind: 'dispute_assigned', params: { owner: 'alice' } },
    { ...base, kind: 'dispute_closed', params: { resolution: 'Accord' } },
    { ...base, kind: 'promise_recorded', params: { amountCents: 5_000, currency: 'EUR', promisedOn: '2026-08-01' } },
    { ...base, kind: 'promise_kept', params: { amountCents: 5_000, currency: 'EUR', promisedOn: '2026-08-01' } },
    { ...base, kind: 'promise_broken', params: { amountCents: 5_000, currency: 'EUR', promisedOn: '2026-08-01' } },
    { ...base, kind: 'promise_withdrawn', params: { amountCents: 5_000, currency: 'EUR', promisedOn: '2026-08-01' } },
    { ...base, kind: 'late_charges_issued', params: { asOf: '2026-08-01', interestCents: 120, indemnityCents: 4_000, currency: 'EUR' } },
    { ...base, kind: 'email_bounced', params: { step: 'Relance 1', detail: '550 5.1.1' } },
    { ...base, kind: 'email_delivered', params: { step: 'Relance 1', detail: null } },
  ];
  for (const e of entries) await insertEvent(stack.db.sql, e);
  const data = await stack.db.sql<{ text: string }[]>`
    select name || ' ' || address_line1 || ' ' || city as text from customers union all select name from follow_up_steps union all select name from policies`;
  dataWords = new Set(data.flatMap((d) => words(d.text)));
  ({ cookie } = await signIn(stack.app, stack.db.sql, 'admin'));
}, 180_000);
afterAll(() => stack?.stop());

it('shows no English word of its own on any French admin page, the timeline of every kind of entry included', async () => {
  const seen = new Set<string>();
  const perPattern = new Map<string, number>();
  const queue = ['/', `/invoices/${encodeURIComponent(chased)}`];
  const leaks: string[] = [];
  while (queue.length && seen.size < 120) {
    const path = queue.shift()!;
    const res = await stack.app.request(path, { headers: { cookie } });
    expect(res.status, path).toBeLessThan(500);
    const page = await res.text();
    const found = [...new Set(words(readable(page)).filter((w) => ENGLISH.has(w) && !dataWords.has(w)))];
    if (found.length) leaks.push(`${path}: ${found.join(', ')}`);
    for (const [, href] of page.matchAll(/href="(\/[^"#]*)"/g)) {
      const link = href!.replaceAll('&amp;', '&');
      // A few of each kind of record page is enough: the same view renders them all.
      const pattern = link.replace(/\?.*$/, '').replace(/\/[^/]*\d[^/]*/g, '/:id');
      if (seen.has(link) || NOT_PAGES.test(link) || (perPattern.get(pattern) ?? 0) >= 3) continue;
      seen.add(link);
      perPattern.set(pattern, (perPattern.get(pattern) ?? 0) + 1);
      queue.push(link);
    }
  }
  expect(seen.size).toBeGreaterThan(25);
  expect(leaks).toEqual([]);
}, 300_000);
