import type { Sql } from '../client.js';

export type Role = 'admin' | 'finance';

export interface User {
  id: number;
  email: string;
  name: string;
  role: Role;
}

export async function userCount(sql: Sql): Promise<number> {
  const [row] = await sql<[{ n: number }]>`select count(*)::int as n from users`;
  return row.n;
}

export async function createUser(sql: Sql, u: { email: string; name: string; role: Role; passwordHash: string }): Promise<User> {
  const [row] = await sql<User[]>`
    insert into users (email, name, role, password_hash) values (${u.email.toLowerCase()}, ${u.name}, ${u.role}, ${u.passwordHash})
    returning id, email, name, role`;
  return row!;
}

export async function userWithHashByEmail(sql: Sql, email: string): Promise<(User & { passwordHash: string }) | undefined> {
  const [row] = await sql<(User & { passwordHash: string })[]>`
    select id, email, name, role, password_hash as "passwordHash" from users where email = ${email.toLowerCase()}`;
  return row;
}
