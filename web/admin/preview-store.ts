import type { Context } from 'hono';
import { randomBytes } from 'node:crypto';
import { LRUCache } from 'lru-cache';

/**
 * Rendered previews waiting for their iframe to fetch them. The page's CSP forbids the inline
 * styles every e-mail carries, so a preview is served on its own URL under a CSP of its own.
 * A preview is fetched seconds after it is made: the store keeps the most recent ones within a
 * bound on their number and their total size, whatever a burst of previews puts in.
 */
export class PreviewStore {
  private readonly entries: LRUCache<string, { userId: number; html: string }>;

  constructor(limits: { entries: number; bytes: number } = { entries: 200, bytes: 16 * 1024 * 1024 }) {
    this.entries = new LRUCache({ max: limits.entries, maxSize: limits.bytes, sizeCalculation: (e) => Math.max(1, e.html.length * 2), ttl: 10 * 60_000 });
  }

  put(userId: number, html: string): string {
    const key = randomBytes(16).toString('base64url');
    this.entries.set(key, { userId, html });
    return key;
  }

  /** The memory the kept previews take, roughly (UTF-16). */
  get bytes(): number {
    return this.entries.calculatedSize;
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
