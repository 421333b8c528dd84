import type { Context } from 'hono';
import type { ZodError } from 'zod';

export interface FieldProblem {
  field: string;
  message: string;
}

/** A 422 naming every field that is wrong; nothing has been written when it is returned. */
export function invalid(c: Context, problems: FieldProblem[]) {
  return c.json({ error: 'validation_failed', message: 'Some fields are invalid; nothing was saved.', problems }, 422);
}

export function zodProblems(error: ZodError, prefix = ''): FieldProblem[] {
  return error.issues.map((i) => ({
    field: [prefix, ...i.path.map(String)].filter(Boolean).join('.').replace(/\.(\d+)/g, '[$1]') || '(body)',
    message: i.message,
  }));
}

export function notFound(c: Context, what: string) {
  return c.json({ error: 'not_found', message: `${what} was not found` }, 404);
}
