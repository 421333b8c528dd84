import type { ISql, Sql } from '../client.js';

export type Role = 'admin' | 'finance';

export interface User {
  id: number;
  email: string;
  name: string;
  role: Role;
}

export async function userCount(sql: ISql): Promise<number> {
  const [row] = await sql<[{ n: number }]>`select count(*)::int as n from users`;
  return row.n;
}

export async function createUser(sql: ISql, u: { email: string; name: string; role: Role; passwordHash: string }): Promise<User> {
  const [row] = await sql<User[]>`
    insert into users (email, name, role, password_hash) values (${u.email.toLowerCase()}, ${u.name}, ${u.role}, ${u.passwordHash})
    returning id, email, name, role`;
  return row!;
}

/**
 * Creates the user only while the table is empty, atomically: web processes starting together on a
 * new database make one first admin, and the others learn that one exists.
 */
export async function createFirstUser(sql: Sql, u: { email: string; name: string; role: Role; passwordHash: string }): Promise<User | undefined> {
  return sql.begin(async (tx) => {
    await tx`select pg_advisory_xact_lock(hashtext('relance.first-user'))`;
    const [row] = await tx<User[]>`
      insert into users (email, name, role, password_hash)
      select ${u.email.toLowerCase()}, ${u.name}, ${u.role}, ${u.passwordHash} where not exists (select 1 from users)
      returning id, email, name, role`;
    return row;
  });
}

export async function userWithHashByEmail(sql: ISql, email: string): Promise<(User & { passwordHash: string }) | undefined> {
  const [row] = await sql<(User & { passwordHash: string })[]>`
    select id, email, name, role, password_hash as "passwordHash" from users where email = ${email.toLowerCase()}`;
  return row;
}

export async function listUsers(sql: ISql): Promise<(User & { createdAt: Date })[]> {
  return sql<(User & { createdAt: Date })[]>`select id, email, name, role, created_at as "createdAt" from users order by email`;
}

export async function userById(sql: ISql, id: number): Promise<User | undefined> {
  const [row] = await sql<User[]>`select id, email, name, role from users where id = ${id}`;
  return row;
}

/** Changes a role or removes a user, refusing to leave the site without an administrator. */
export async function changeUser(sql: Sql, id: number, change: { role: Role } | 'delete'): Promise<'done' | 'last_admin'> {
  return sql.begin(async (tx) => {
    await tx`lock table users in share row exclusive mode`;
    const [row] = await tx<{ admins: number }[]>`select count(*)::int as admins from users where role = 'admin' and id <> ${id}`;
    const [target] = await tx<{ role: Role }[]>`select role from users where id = ${id}`;
    const losesAdmin = target?.role === 'admin' && (change === 'delete' || change.role !== 'admin');
    if (losesAdmin && row!.admins === 0) return 'last_admin';
    if (change === 'delete') await tx`delete from users where id = ${id}`;
    else await tx`update users set role = ${change.role} where id = ${id}`;
    return 'done';
  });
}

/** A new password: every session of that user ends with the old one, in the same transaction. */
export async function replacePassword(sql: Sql, userId: number, passwordHash: string): Promise<void> {
  await sql.begin(async (tx) => {
    await tx`update users set password_hash = ${passwordHash} where id = ${userId}`;
    await tx`delete from sessions where user_id = ${userId}`;
  });
}

export async function passwordHashOf(sql: ISql, userId: number): Promise<string | undefined> {
  const [row] = await sql<{ passwordHash: string }[]>`select password_hash as "passwordHash" from users where id = ${userId}`;
  return row?.passwordHash;
}
