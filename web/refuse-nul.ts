import { createMiddleware } from 'hono/factory';

const WRITES = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

/** The path of the first string holding a NUL character, or undefined. */
function nulPath(value: unknown, path = ''): string | undefined {
  if (typeof value === 'string') return value.includes('\0') ? path || '(body)' : undefined;
  if (Array.isArray(value)) return value.map((v, i) => nulPath(v, `${path}[${i}]`)).find((p) => p !== undefined);
  if (value && typeof value === 'object') {
    for (const [k, v] of Object.entries(value)) {
      const found = k.includes('\0') ? path || '(body)' : nulPath(v, path ? `${path}.${k}` : k);
      if (found !== undefined) return found;
    }
  }
  return undefined;
}

/**
 * PostgreSQL cannot store the NUL character in text: a field holding one is refused up front,
 * named, for the API and the forms alike, instead of failing deep inside a write.
 */
export const refuseNul = createMiddleware(async (c, next) => {
  if (!WRITES.has(c.req.method)) return next();
  const type = c.req.header('content-type') ?? '';
  let field: string | undefined;
  if (type.includes('application/json')) {
    const text = await c.req.text();
    if (text.includes('\\u0000') || text.includes('\0')) field = nulPath((() => { try { return JSON.parse(text) as unknown; } catch { return undefined; } })());
  } else if (type.includes('form')) {
    field = nulPath(await c.req.parseBody({ all: true }));
  }
  if (field !== undefined) return c.json({ error: 'invalid', problems: [{ field, message: 'must not contain the NUL character' }] }, 422);
  await next();
});
