import { randomBytes } from 'node:crypto';
import type { Sql } from '../../db/client.js';
import { createUser, type Role } from '../../db/queries/users.js';
import { hashPassword } from '../../web/auth/passwords.js';

export const ORIGIN = 'http://localhost:3000';

type App = { request: (path: string, init?: RequestInit) => Response | Promise<Response> };

/** A user of the given role, signed in through the real form: returns the cookie and CSRF token. */
export async function signIn(app: App, sql: Sql, role: Role = 'finance') {
  const email = `${role}-${randomBytes(3).toString('hex')}@relance.test`;
  await createUser(sql, { email, name: `Test ${role}`, role, passwordHash: await hashPassword('a long test password') });
  const res = await app.request('/login', {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', origin: ORIGIN },
    body: new URLSearchParams({ email, password: 'a long test password' }).toString(),
  });
  const cookie = `relance_session=${res.headers.get('set-cookie')!.match(/relance_session=([^;]+)/)![1]}`;
  const page = await (await app.request('/', { headers: { cookie } })).text();
  const csrf = /"X-CSRF-Token":"([^"]+)"/.exec(page.replaceAll('&quot;', '"'))![1]!;
  return { cookie, csrf };
}

/** Pages and form posts as a signed-in user in English, answers as text; a post is followed to the page it redirects to, as a browser does. */
export function adminBrowser(app: App, session: { cookie: string; csrf: string }) {
  return {
    get: async (path: string) => (await app.request(path, { headers: { cookie: `${session.cookie}; relance_lang=en` } })).text(),
    async post(path: string, fields: Record<string, string> = {}) {
      const res = await app.request(path, {
        method: 'POST',
        headers: { cookie: `${session.cookie}; relance_lang=en`, origin: ORIGIN, 'content-type': 'application/x-www-form-urlencoded', 'x-csrf-token': session.csrf },
        body: new URLSearchParams({ _csrf: session.csrf, ...fields }).toString(),
      });
      return (await (await followed(app, res, `${session.cookie}; relance_lang=en`)).text()).replaceAll('&#39;', "'");
    },
  };
}

/** What a browser shows after a form post: a 303 is followed to its page (GET, same cookies). */
export async function followed(app: App, res: Response, cookie: string): Promise<Response> {
  const location = res.headers.get('location');
  return res.status === 303 && location ? app.request(location, { headers: { cookie } }) : res;
}
