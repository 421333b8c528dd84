import Handlebars from 'handlebars';
import { MERGE_FIELD_LISTS, MERGE_FIELD_NAMES } from './merge-fields.js';

/** What is wrong, as data: the editor says it in its reader's language. */
export type TemplateFault =
  | { kind: 'required' }
  | { kind: 'too_long'; max: number }
  | { kind: 'outside_each'; name: string }
  | { kind: 'unknown_field'; name: string }
  | { kind: 'triple_braces' }
  | { kind: 'unknown_helper'; helper: string }
  | { kind: 'not_a_field' }
  | { kind: 'unknown_block'; block: string }
  | { kind: 'one_field'; block: string }
  | { kind: 'each_list'; lists: string }
  | { kind: 'partials' }
  | { kind: 'not_closed' }
  | { kind: 'badly_closed'; found: string }
  | { kind: 'never_closed'; block: string }
  | { kind: 'mismatched'; opened: string; closed: string }
  /** What Handlebars said, when it is none of the above. */
  | { kind: 'parser'; message: string };

export type TemplateProblem = TemplateFault & {
  line: number;
  /** In English, for the API and the logs. */
  reason: string;
};

const FAULT_TEXTS: Record<'fr' | 'en', { [K in TemplateFault['kind']]: (f: Extract<TemplateFault, { kind: K }>) => string }> = {
  fr: {
    required: () => 'obligatoire',
    too_long: (f) => `dépasse ${f.max.toLocaleString('fr')} caractères`,
    outside_each: (f) => `${f.name} n'existe qu'à l'intérieur de {{#each}}`,
    unknown_field: (f) => `champ de fusion inconnu « ${f.name} »`,
    triple_braces: () => "les triples accolades affichent sans échappement : utilisez {{ }}",
    unknown_helper: (f) => `fonction inconnue « ${f.helper} »`,
    not_a_field: () => 'seuls des champs de fusion peuvent être affichés',
    unknown_block: (f) => `bloc inconnu « {{#${f.block}}} » : utilisez if, unless, each ou with`,
    one_field: (f) => `{{#${f.block}}} prend un seul champ de fusion`,
    each_list: (f) => `{{#each}} parcourt une liste : ${f.lists}`,
    partials: () => 'les partiels et les décorateurs ne sont pas permis',
    not_closed: () => "un {{ }} n'est pas fermé",
    badly_closed: (f) => `un {{ }} est mal fermé (trouvé ${f.found})`,
    never_closed: (f) => `{{#${f.block}}} n'est jamais fermé par {{/${f.block}}}`,
    mismatched: (f) => `{{/${f.closed}}} ferme un {{#${f.opened}}}`,
    parser: (f) => f.message,
  },
  en: {
    required: () => 'required',
    too_long: (f) => `is longer than ${f.max.toLocaleString('en')} characters`,
    outside_each: (f) => `${f.name} is only known inside {{#each}}`,
    unknown_field: (f) => `unknown merge field "${f.name}"`,
    triple_braces: () => 'triple braces print without escaping: use {{ }}',
    unknown_helper: (f) => `unknown helper "${f.helper}"`,
    not_a_field: () => 'only merge fields may be printed',
    unknown_block: (f) => `unknown block "{{#${f.block}}}": use if, unless, each or with`,
    one_field: (f) => `{{#${f.block}}} takes one merge field`,
    each_list: (f) => `{{#each}} goes through a list: ${f.lists}`,
    partials: () => 'partials and decorators are not allowed',
    not_closed: () => 'a {{ }} is not closed',
    badly_closed: (f) => `a {{ }} is not closed properly (found ${f.found})`,
    never_closed: (f) => `{{#${f.block}}} is never closed with {{/${f.block}}}`,
    mismatched: (f) => `${f.opened} doesn't match ${f.closed}`,
    parser: (f) => f.message,
  },
};

/** A problem of a template, said in French or English. */
export function templateFaultText(fault: TemplateFault, lang: 'fr' | 'en'): string {
  return (FAULT_TEXTS[lang][fault.kind] as (f: TemplateFault) => string)(fault);
}

export function templateProblem(line: number, fault: TemplateFault): TemplateProblem {
  return { ...fault, line, reason: templateFaultText(fault, 'en') };
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
  if (source.length > MAX_TEMPLATE_CHARACTERS) return [templateProblem(1, { kind: 'too_long', max: MAX_TEMPLATE_CHARACTERS })];
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
      if (scopes.length === 0) problems.push(templateProblem(at(path), { kind: 'outside_each', name: path.original }));
      return;
    }
    const base = scopes[scopes.length - 1 - path.depth] ?? '';
    const name = [base, ...path.parts].filter(Boolean).join('.');
    if (path.parts.length === 0) return; // {{this}}
    const list = name.endsWith('.length') ? name.slice(0, -'.length'.length) : null;
    if (!KNOWN.has(name) && !(list && LISTS.has(list)) && !(opensBlock && GROUPS.has(name))) problems.push(templateProblem(at(path), { kind: 'unknown_field', name: path.original }));
  };

  const visit = (nodes: hbs.AST.Statement[], scopes: string[]) => {
    for (const node of nodes) {
      switch (node.type) {
        case 'MustacheStatement': {
          const m = node as hbs.AST.MustacheStatement;
          if (!m.escaped) problems.push(templateProblem(at(m), { kind: 'triple_braces' }));
          if (m.params.length || m.hash) problems.push(templateProblem(at(m), { kind: 'unknown_helper', helper: (m.path as hbs.AST.PathExpression).original }));
          else if (m.path.type === 'PathExpression') checkPath(m.path as hbs.AST.PathExpression, scopes);
          else problems.push(templateProblem(at(m), { kind: 'not_a_field' }));
          break;
        }
        case 'BlockStatement': {
          const b = node as hbs.AST.BlockStatement;
          const helper = (b.path as hbs.AST.PathExpression).original;
          const [subject] = b.params;
          if (!CONDITIONS.has(helper) && !SCOPES.has(helper)) {
            problems.push(templateProblem(at(b), { kind: 'unknown_block', block: helper }));
            break;
          }
          // Options (`x=(…)`) and block parameters would evaluate what the checker does not see.
          if (b.params.length !== 1 || subject?.type !== 'PathExpression' || b.hash || b.program.blockParams?.length) {
            problems.push(templateProblem(at(b), { kind: 'one_field', block: helper }));
            break;
          }
          const path = subject as hbs.AST.PathExpression;
          const full = [scopes[scopes.length - 1 - path.depth] ?? '', ...path.parts].filter(Boolean).join('.');
          if (helper === 'each' && !LISTS.has(full)) {
            problems.push(templateProblem(at(b), { kind: 'each_list', lists: [...LISTS].join(', ') }));
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
          problems.push(templateProblem(at(node), { kind: 'partials' }));
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
  if (/got 'EOF'$/.test(last)) return unclosedBlock(source) ?? templateProblem(line, { kind: 'not_closed' });
  const found = /^Expecting .*, got '(\w+)'$/.exec(last)?.[1];
  if (found) return templateProblem(line, { kind: 'badly_closed', found });
  const mismatch = /^(\w+) doesn't match (\w+)$/.exec(last);
  return templateProblem(line, mismatch ? { kind: 'mismatched', opened: mismatch[1]!, closed: mismatch[2]! } : { kind: 'parser', message: last });
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
  return block && templateProblem(block.line, { kind: 'never_closed', block: block.name });
}
