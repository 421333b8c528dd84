import type { Context } from 'hono';
import { randomBytes } from 'node:crypto';

const MAX_ENTRIES = 200;

/**
 * Rendered previews waiting for their iframe to fetch them. The page's CSP forbids the inline
 * styles every e-mail carries, so a preview is served on its own URL under a CSP of its own.
 */
export class PreviewStore {
  private readonly entries = new Map<string, { userId: number; html: string }>();

  put(userId: number, html: string): string {
    const key = randomBytes(16).toString('base64url');
    this.entries.set(key, { userId, html });
    if (this.entries.size > MAX_ENTRIES) this.entries.delete(this.entries.keys().next().value!);
    return key;
  }

  /** Only the user who asked for a preview may see it. */
  get(userId: number, key: string): string | undefined {
    const entry = this.entries.get(key);
    return entry?.userId === userId ? entry.html : undefined;
  }
}

/** An e-mail shown in a frame of our own pages: no script, no network, only its inline styles and embedded images. */
export function sandboxedHtml(c: Context, page: string) {
  c.header('Content-Security-Policy', "default-src 'none'; style-src 'unsafe-inline'; img-src data:; sandbox; frame-ancestors 'self'");
  c.header('X-Frame-Options', 'SAMEORIGIN');
  return c.html(page);
}
