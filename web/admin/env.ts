import type { ContentfulStatusCode } from 'hono/utils/http-status';
import type { HtmlEscapedString } from 'hono/utils/html';
import type { SessionUser } from '../auth/sessions.js';
import type { WebDeps } from '../deps.js';
import type { PreviewStore } from './preview-store.js';

/** The outcome of an action, as the page shows it. */
export type Flash = { ok: boolean; text: string };

/**
 * What every admin handler finds on its context, set by the session middleware: the signed-in
 * user, and on a page the outcome kept for it by the redirect after an action.
 */
export type AdminEnv = { Variables: { user: SessionUser; flash?: Flash } };

export type PageBody = HtmlEscapedString | Promise<HtmlEscapedString>;

declare module 'hono' {
  /** `c.render(title, body)`: the page in the admin's shell (menu, language, the user), set once after sign-in. */
  interface ContextRenderer {
    (title: string, body: PageBody, status?: ContentfulStatusCode): Response | Promise<Response>;
  }
}

/** What the admin site is built from: the web's dependencies, where to log, the template previews. */
export type AdminDeps = WebDeps & { log?: (err: unknown) => void; previews?: PreviewStore };
