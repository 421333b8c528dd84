import type { Context } from 'hono';
import { createMiddleware } from 'hono/factory';
import { bodyLimit } from 'hono/body-limit';

const KB = 1024;
const MB = 1024 * KB;

/** What a request may carry: JSON and forms are small; two routes take files, each with its stated limit. */
export const BODY_LIMITS = {
  default: 512 * KB,
  invoicePdf: 10 * MB,
  // The CSV file's 20 MB, plus the form's boundaries and its other fields.
  csvImport: 20 * MB + 64 * KB,
  // Up to 50 MB of Factur-X PDFs in one batch, each 10 MB at most.
  facturXImport: 50 * MB + 64 * KB,
} as const;

const UPLOADS: { method: string; path: RegExp; limit: number }[] = [
  { method: 'PUT', path: /^\/api\/v1\/invoices\/[^/]+\/pdf$/, limit: BODY_LIMITS.invoicePdf },
  { method: 'POST', path: /^\/import$/, limit: BODY_LIMITS.csvImport },
  { method: 'POST', path: /^\/api\/v1\/invoices\/factur-x$/, limit: BODY_LIMITS.invoicePdf },
  { method: 'POST', path: /^\/import\/factur-x$/, limit: BODY_LIMITS.facturXImport },
];

const human = (bytes: number) => (bytes >= MB ? `${Math.floor(bytes / MB)} MB` : `${bytes / KB} kB`);

function tooLarge(c: Context, limit: number) {
  const message = `The request body is larger than this route accepts (${human(limit)}); nothing was read or saved.`;
  if (c.req.path.startsWith('/api/') || c.req.path.startsWith('/webhooks/')) return c.json({ error: 'payload_too_large', message, limitBytes: limit }, 413);
  return c.text(message, 413);
}

const uploadOf = (c: Context) => UPLOADS.find((u) => u.method === c.req.method && u.path.test(c.req.path));

/**
 * Caps every request body before anything reads it, so an anonymous client cannot make the process
 * hold more than the small default: a declared length over the route's limit is refused at once,
 * unread; a body without a declared length is read up to the small default only. A file upload (the
 * invoice PDF, the CSV import) without a declared length is left to `limitUploads`, after the token
 * or the session has been checked.
 */
export const limitBodies = createMiddleware(async (c, next) => {
  if (!c.req.raw.body) return next();
  const upload = uploadOf(c);
  const length = c.req.header('content-length');
  if (length !== undefined && !c.req.raw.headers.has('transfer-encoding')) {
    const limit = upload?.limit ?? BODY_LIMITS.default;
    return Number(length) > limit ? tooLarge(c, limit) : next();
  }
  if (upload) return next();
  return bodyLimit({ maxSize: BODY_LIMITS.default, onError: (cx) => tooLarge(cx, BODY_LIMITS.default) })(c, next);
});

/** A file upload sent without its length, from an authenticated client: read up to its route's limit. */
export const limitUploads = createMiddleware(async (c, next) => {
  const upload = uploadOf(c);
  if (!upload || !c.req.raw.body || (c.req.header('content-length') !== undefined && !c.req.raw.headers.has('transfer-encoding'))) return next();
  return bodyLimit({ maxSize: upload.limit, onError: (cx) => tooLarge(cx, upload.limit) })(c, next);
});

/** A body that cannot be parsed as the form it claims to be (a broken multipart) is the client's error. */
export const isUnreadableBody = (err: unknown) => err instanceof TypeError && /parse body as FormData/i.test(err.message);
