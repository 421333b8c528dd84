import type { ISql } from '../client.js';
import type { User } from './users.js';

export async function insertSession(sql: ISql, s: { idHash: string; userId: number; csrfToken: string; expiresAt: Date }): Promise<void> {
  await sql`insert into sessions (id_hash, user_id, csrf_token, expires_at) values (${s.idHash}, ${s.userId}, ${s.csrfToken}, ${s.expiresAt})`;
}

/** The session's user, and the outcome kept for its next page, in one read. */
export async function sessionUser(sql: ISql, idHash: string): Promise<(User & { csrfToken: string; flash: Flash | null }) | undefined> {
  const [row] = await sql<(User & { csrfToken: string; flash: Flash | null })[]>`
    select u.id, u.email, u.name, u.role, s.csrf_token as "csrfToken", s.flash
    from sessions s join users u on u.id = s.user_id
    where s.id_hash = ${idHash} and s.expires_at > now()`;
  return row;
}

export async function deleteSession(sql: ISql, idHash: string): Promise<void> {
  await sql`delete from sessions where id_hash = ${idHash} or expires_at < now()`;
}

type Flash = { ok: boolean; text: string };

export async function keepSessionFlash(sql: ISql, idHash: string, flash: Flash): Promise<void> {
  await sql`update sessions set flash = ${sql.json(flash)} where id_hash = ${idHash}`;
}

/** The outcome kept for this session's next page has been shown: it shows once. */
export async function clearSessionFlash(sql: ISql, idHash: string): Promise<void> {
  await sql`update sessions set flash = null where id_hash = ${idHash}`;
}
