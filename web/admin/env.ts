import type { SessionUser } from '../auth/sessions.js';

/** What every admin handler finds on its context: the signed-in user, set by the session middleware. */
export type AdminEnv = { Variables: { user: SessionUser } };
