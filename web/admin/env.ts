import type { ContentfulStatusCode } from 'hono/utils/http-status';
import type { HtmlEscapedString } from 'hono/utils/html';
import type { SessionUser } from '../auth/sessions.js';
import type { WebDeps } from '../deps.js';
import type { PreviewStore } from './preview-store.js';

/** What every admin handler finds on its context: the signed-in user, set by the session middleware. */
export type AdminEnv = { Variables: { user: SessionUser } };

export type PageBody = HtmlEscapedString | Promise<HtmlEscapedString>;

declare module 'hono' {
  /** `c.render(title, body)`: the page in the admin's shell (menu, language, the user), set once after sign-in. */
  interface ContextRenderer {
    (title: string, body: PageBody, status?: ContentfulStatusCode): Response | Promise<Response>;
  }
}

/** What the admin site is built from: the web's dependencies, where to log, the template previews. */
export type AdminDeps = WebDeps & { log?: (err: unknown) => void; previews?: PreviewStore };
