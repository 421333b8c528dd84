import { randomBytes } from 'node:crypto';
import type { Sql } from '../../db/client.js';
import { createFirstUser, userCount } from '../../db/queries/users.js';
import { hashPassword } from './passwords.js';

/**
 * Creates the first admin on an empty user table. Returns the password to show once when it was
 * generated here, null when it came from the environment or an admin already exists.
 */
export async function ensureFirstAdmin(sql: Sql, admin: { email: string; password?: string }): Promise<{ email: string; password: string | null } | null> {
  if ((await userCount(sql)) > 0) return null;
  const password = admin.password ?? randomBytes(12).toString('base64url');
  const created = await createFirstUser(sql, { email: admin.email, name: 'Admin', role: 'admin', passwordHash: await hashPassword(password) });
  if (!created) return null;
  return { email: admin.email, password: admin.password ? null : password };
}
