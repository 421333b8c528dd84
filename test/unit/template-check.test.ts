import { expect, it } from 'vitest';
import { DEFAULT_STEPS } from '../../db/seed/default-templates.js';
import { checkTemplate } from '../../activities/template-check.js';

it('accepts every default template', () => {
  for (const step of DEFAULT_STEPS) for (const t of Object.values(step.email)) expect(checkTemplate(t.subject).concat(checkTemplate(t.body))).toEqual([]);
});

it.each([
  ['Hello {{custmer.name}}', 1, 'unknown merge field "custmer.name"'],
  ['a\n{{#if amountDue}}\n{{/each}}', 2, "if doesn't match each"],
  ['x\n{{#if amountDue}}\nrest', 2, '{{#if}} is never closed with {{/if}}'],
  ['a\n\n{{#each overdueInvoices}}{{number}} {{@index}} {{../company.name}} {{nope}}{{/each}}', 3, 'unknown merge field "nope"'],
  ['{{lookup invoice "number"}}', 1, 'unknown helper "lookup"'],
  ['{{> header}}', 1, 'partials and decorators are not allowed'],
  ['{{{customer.name}}}', 1, 'triple braces print without escaping: use {{ }}'],
  ['{{#each invoice}}{{/each}}', 1, '{{#each}} goes through a list: overdueInvoices, statementLines'],
  ['{{#with invoice}}{{numbr}}{{/with}}', 1, 'unknown merge field "numbr"'],
  ['{{@index}}', 1, '@index is only known inside {{#each}}'],
])('refuses %j at line %i', (source, line, reason) => {
  const problems = checkTemplate(source);
  expect(problems[0]?.line).toBe(line);
  if (reason) expect(problems[0]?.reason).toBe(reason);
});

it('knows the fields of the overdue list inside its block, and its length', () => {
  expect(checkTemplate('{{#with invoice}}{{number}}{{/with}}')).toEqual([]);
  expect(checkTemplate('{{#if overdueInvoices.length}}{{#each overdueInvoices}}{{number}} {{dueDate}} {{balance}} {{daysLate}}{{/each}}{{/if}}')).toEqual([]);
});
