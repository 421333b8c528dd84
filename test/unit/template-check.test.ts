import { expect, it, vi } from 'vitest';
import { DEFAULT_STEPS } from '../../db/seed/default-templates.js';
import { checkTemplate, MAX_TEMPLATE_CHARACTERS } from '../../services/documents/template-check.js';
import { buildMergeFields } from '../../services/documents/merge-fields.js';
import { renderEmail } from '../../services/documents/render.js';

it('accepts every default template', () => {
  for (const step of DEFAULT_STEPS) for (const t of [...Object.values(step.email), ...Object.values(step.letter)]) expect(checkTemplate(t.subject).concat(checkTemplate(t.body))).toEqual([]);
});

it.each([
  ['Hello {{custmer.name}}', 1, 'unknown merge field "custmer.name"'],
  ['a\n{{#if amountDue}}\n{{/each}}', 2, "if doesn't match each"],
  ['x\n{{#if amountDue}}\nrest', 2, '{{#if}} is never closed with {{/if}}'],
  ['a\n\n{{#each overdueInvoices}}{{number}} {{@index}} {{../company.name}} {{nope}}{{/each}}', 3, 'unknown merge field "nope"'],
  ['{{lookup invoice "number"}}', 1, 'unknown helper "lookup"'],
  ['{{> header}}', 1, 'partials and decorators are not allowed'],
  ['{{{customer.name}}}', 1, 'triple braces print without escaping: use {{ }}'],
  ['{{#each invoice}}{{/each}}', 1, '{{#each}} goes through a list: invoiceLines, invoiceVat, installments, claimedInstallments, overdueInvoices, statementLines, previousReminders'],
  ['{{#with invoice}}{{numbr}}{{/with}}', 1, 'unknown merge field "numbr"'],
  ['{{@index}}', 1, '@index is only known inside {{#each}}'],
])('refuses %j at line %i', (source, line, reason) => {
  const problems = checkTemplate(source);
  expect(problems[0]?.line).toBe(line);
  if (reason) expect(problems[0]?.reason).toBe(reason);
});

it('knows the fields of the overdue list inside its block, and its length', () => {
  expect(checkTemplate('{{#with invoice}}{{number}}{{/with}}')).toEqual([]);
  expect(checkTemplate('{{#if previousCount}}{{previousRemindersText}}: {{#each previousReminders}}{{name}} {{date}}{{/each}}{{/if}}')).toEqual([]);
  expect(checkTemplate('{{#if overdueInvoices.length}}{{#each overdueInvoices}}{{number}} {{dueDate}} {{balance}} {{daysLate}}{{/each}}{{/if}}')).toEqual([]);
});

it.each([
  '{{constructor}}', '{{__proto__.polluted}}', '{{#with customer}}{{constructor.name}}{{/with}}', '{{customer.__proto__}}', '{{lookup this "constructor"}}',
  '{{#each overdueInvoices}}{{constructor.constructor}}{{/each}}', '{{#with constructor}}{{prototype}}{{/with}}',
])('refuses a template reaching outside its data: %j', (source) => {
  expect(checkTemplate(source).length).toBeGreaterThan(0);
});

it('prints nothing from an object prototype even for a template stored without the check', () => {
  const fields = buildMergeFields({
    settings: { companyName: 'Ma Société', companyAddress: '', companyEmail: '', companyPhone: '', companyLegalForm: '', companyCapital: '', companySiret: '', companyRcs: '', companyVat: '', mailFrom: null, timezone: 'Europe/Paris', sendHour: 9, country: 'FR', dueSoonDays: 7, minimumBalanceCents: 0, reviewHour: 7, payLinkDays: 90 },
    customer: { id: 1, ref: 'C-1', name: 'Client', emails: [], addressLine1: '', addressLine2: '', postalCode: '', city: '', country: 'FR', language: 'fr', paused: false, pauseReason: null, dunningExcluded: false, policyId: null, isBusiness: true, paymentTermsId: null, siren: null, siret: null, vatNumber: null },
    invoice: { number: 'F-1', issueDate: '2026-01-01', dueDate: '2026-02-01', currency: 'EUR', totalCents: 100, paidCents: 0, installments: [] },
    level: 1, stepName: 'Relance 1', feeCents: null, overdue: [], today: '2026-03-01', noticeDays: 8,
  });
  const email = renderEmail({ subject: '[{{customer.constructor.name}}]', body: '<p>[{{#with customer}}{{constructor}}{{__proto__}}{{/with}}]</p>' }, fields);
  expect(email.subject).toBe('[]');
  expect(email.html).toContain('<p>[]</p>');
});

it.each([
  '{{#with invoice x=(log "admin signed in")}}{{number}}{{/with}}', '{{#if amountDue level=(log "x")}}y{{/if}}', '{{#each overdueInvoices as |i|}}{{i.number}}{{/each}}',
  '{{#if (log "x")}}y{{/if}}', '{{log "forged line"}}', '{{customer.name x=(log "x")}}',
])('refuses every sub-expression the checker cannot vouch for, hash arguments included: %j', (source) => {
  expect(checkTemplate(source).length).toBeGreaterThan(0);
});

it('has no log helper: a template stored without the check writes nothing to the log and fails to render', () => {
  const written: unknown[] = [];
  const spies = (['log', 'info', 'warn', 'error', 'debug'] as const).map((level) => vi.spyOn(console, level).mockImplementation((...args) => void written.push(args)));
  const fields = { customer: { name: 'Client' }, invoice: { number: 'F-1' } } as never;
  expect(() => renderEmail({ subject: 'x', body: '{{#with invoice x=(log "{\\"msg\\":\\"admin signed in\\"}" level="error")}}{{number}}{{/with}}' }, fields)).toThrow();
  expect(() => renderEmail({ subject: '{{log "forged"}}', body: 'x' }, fields)).toThrow();
  spies.forEach((s) => s.mockRestore());
  expect(written).toEqual([]);
});

it('refuses a template longer than its limit, by name, before parsing it', () => {
  expect(checkTemplate('x'.repeat(MAX_TEMPLATE_CHARACTERS + 1))).toMatchObject([{ line: 1, reason: 'is longer than 100,000 characters' }]);
  expect(checkTemplate('x'.repeat(MAX_TEMPLATE_CHARACTERS))).toEqual([]);
});
