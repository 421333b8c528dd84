import type { ISql } from '../client.js';
import type { User } from './users.js';

export async function insertSession(sql: ISql, s: { idHash: string; userId: number; csrfToken: string; expiresAt: Date }): Promise<void> {
  await sql`insert into sessions (id_hash, user_id, csrf_token, expires_at) values (${s.idHash}, ${s.userId}, ${s.csrfToken}, ${s.expiresAt})`;
}

export async function sessionUser(sql: ISql, idHash: string): Promise<(User & { csrfToken: string }) | undefined> {
  const [row] = await sql<(User & { csrfToken: string })[]>`
    select u.id, u.email, u.name, u.role, s.csrf_token as "csrfToken"
    from sessions s join users u on u.id = s.user_id
    where s.id_hash = ${idHash} and s.expires_at > now()`;
  return row;
}

export async function deleteSession(sql: ISql, idHash: string): Promise<void> {
  await sql`delete from sessions where id_hash = ${idHash} or expires_at < now()`;
}

export async function keepSessionFlash(sql: ISql, idHash: string, flash: { ok: boolean; text: string }): Promise<void> {
  await sql`update sessions set flash = ${sql.json(flash)} where id_hash = ${idHash}`;
}

/** The outcome kept for this session's next page, taken: it shows once. */
export async function takeSessionFlash(sql: ISql, idHash: string): Promise<{ ok: boolean; text: string } | undefined> {
  const [row] = await sql<{ flash: { ok: boolean; text: string } }[]>`
    update sessions s set flash = null
    from (select id_hash, flash from sessions where id_hash = ${idHash} and flash is not null for update) kept
    where s.id_hash = kept.id_hash
    returning kept.flash`;
  return row?.flash;
}
