import Handlebars from 'handlebars';
import { MERGE_FIELD_LISTS, MERGE_FIELD_NAMES } from './merge-fields.js';

export interface TemplateProblem {
  line: number;
  reason: string;
}

type Node = hbs.AST.Node & { loc?: hbs.AST.SourceLocation };

const KNOWN = new Set<string>(MERGE_FIELD_NAMES);
// Groups of fields a block may open: {{#with invoice}}{{number}}{{/with}}.
const GROUPS = new Set(MERGE_FIELD_NAMES.filter((n) => n.includes('.')).map((n) => n.split('.')[0]!));
const LISTS = new Set(MERGE_FIELD_LISTS.map((l) => l.list));
const CONDITIONS = new Set(['if', 'unless']);
/** Long enough for any letter; a bound so that previews and the compiled-template cache stay small. */
export const MAX_TEMPLATE_CHARACTERS = 100_000;
const SCOPES = new Set(['each', 'with']);

/**
 * Everything wrong with a template before it is saved: a syntax error, or a name that is not a
 * merge field (a typo would otherwise print nothing in a reminder sent to a customer).
 */
export function checkTemplate(source: string): TemplateProblem[] {
  if (source.length > MAX_TEMPLATE_CHARACTERS) return [{ line: 1, reason: `is longer than ${MAX_TEMPLATE_CHARACTERS.toLocaleString('en')} characters` }];
  let program: hbs.AST.Program;
  try {
    program = Handlebars.parse(source);
  } catch (err) {
    return [syntaxProblem(source, err as Error & { lineNumber?: number })];
  }
  const problems: TemplateProblem[] = [];
  const at = (node: Node) => node.loc?.start.line ?? 1;

  const checkPath = (path: hbs.AST.PathExpression, scopes: string[], opensBlock = false) => {
    if (path.data) {
      if (scopes.length === 0) problems.push({ line: at(path), reason: `${path.original} is only known inside {{#each}}` });
      return;
    }
    const base = scopes[scopes.length - 1 - path.depth] ?? '';
    const name = [base, ...path.parts].filter(Boolean).join('.');
    if (path.parts.length === 0) return; // {{this}}
    const list = name.endsWith('.length') ? name.slice(0, -'.length'.length) : null;
    if (!KNOWN.has(name) && !(list && LISTS.has(list)) && !(opensBlock && GROUPS.has(name))) problems.push({ line: at(path), reason: `unknown merge field "${path.original}"` });
  };

  const visit = (nodes: hbs.AST.Statement[], scopes: string[]) => {
    for (const node of nodes) {
      switch (node.type) {
        case 'MustacheStatement': {
          const m = node as hbs.AST.MustacheStatement;
          if (!m.escaped) problems.push({ line: at(m), reason: 'triple braces print without escaping: use {{ }}' });
          if (m.params.length || m.hash) problems.push({ line: at(m), reason: `unknown helper "${(m.path as hbs.AST.PathExpression).original}"` });
          else if (m.path.type === 'PathExpression') checkPath(m.path as hbs.AST.PathExpression, scopes);
          else problems.push({ line: at(m), reason: 'only merge fields may be printed' });
          break;
        }
        case 'BlockStatement': {
          const b = node as hbs.AST.BlockStatement;
          const helper = (b.path as hbs.AST.PathExpression).original;
          const [subject] = b.params;
          if (!CONDITIONS.has(helper) && !SCOPES.has(helper)) {
            problems.push({ line: at(b), reason: `unknown block "{{#${helper}}}": use if, unless, each or with` });
            break;
          }
          // Options (`x=(…)`) and block parameters would evaluate what the checker does not see.
          if (b.params.length !== 1 || subject?.type !== 'PathExpression' || b.hash || b.program.blockParams?.length) {
            problems.push({ line: at(b), reason: `{{#${helper}}} takes one merge field` });
            break;
          }
          const path = subject as hbs.AST.PathExpression;
          const full = [scopes[scopes.length - 1 - path.depth] ?? '', ...path.parts].filter(Boolean).join('.');
          if (helper === 'each' && !LISTS.has(full)) {
            problems.push({ line: at(b), reason: `{{#each}} goes through a list: ${[...LISTS].join(', ')}` });
            break;
          }
          checkPath(path, scopes, true);
          const inner = SCOPES.has(helper) ? [...scopes, full] : scopes;
          visit(b.program.body, inner);
          if (b.inverse) visit(b.inverse.body, scopes);
          break;
        }
        case 'PartialStatement':
        case 'PartialBlockStatement':
        case 'DecoratorBlock':
        case 'Decorator':
          problems.push({ line: at(node), reason: 'partials and decorators are not allowed' });
          break;
      }
    }
  };
  visit(program.body, []);
  return problems;
}

function syntaxProblem(source: string, err: Error & { lineNumber?: number }): TemplateProblem {
  const line = err.lineNumber ?? Number(/on line (\d+)/.exec(err.message)?.[1] ?? 1);
  const last = err.message.replace(/ - \d+:\d+$/, '').split('\n').at(-1)!;
  if (/got 'EOF'$/.test(last)) return unclosedBlock(source) ?? { line, reason: 'a {{ }} is not closed' };
  return { line, reason: last.replace(/^Expecting .*, got '(\w+)'$/, 'a {{ }} is not closed properly (found $1)') };
}

/** The parser stops at the end of the text; the person needs the line where the block was opened. */
function unclosedBlock(source: string): TemplateProblem | undefined {
  const open: { name: string; line: number }[] = [];
  for (const [index, text] of source.split('\n').entries()) {
    for (const tag of text.matchAll(/\{\{~?\s*([#/])\s*(\w+)/g)) {
      if (tag[1] === '#') open.push({ name: tag[2]!, line: index + 1 });
      else if (open.at(-1)?.name === tag[2]) open.pop();
    }
  }
  const block = open.at(-1);
  return block && { line: block.line, reason: `{{#${block.name}}} is never closed with {{/${block.name}}}` };
}
