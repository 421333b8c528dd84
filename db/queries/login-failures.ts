import type { Sql } from '../client.js';

/** How many sign-ins failed lately for this address and from this client, and when the oldest of them expires. */
export async function recentFailures(sql: Sql, f: { email: string; client: string; windowMinutes: number }) {
  const [row] = await sql<[{ forEmail: number; fromClient: number; oldest: Date | null }]>`
    select count(*) filter (where lower(email) = lower(${f.email}))::int as "forEmail",
           count(*) filter (where client = ${f.client})::int as "fromClient",
           min(failed_at) filter (where lower(email) = lower(${f.email})) as oldest
    from login_failures
    where failed_at > now() - make_interval(mins => ${f.windowMinutes}) and (lower(email) = lower(${f.email}) or client = ${f.client})`;
  return row;
}

export async function recordFailure(sql: Sql, f: { email: string; client: string }): Promise<void> {
  await sql`insert into login_failures (email, client) values (${f.email}, ${f.client})`;
  // Old attempts serve nothing; a sign-in tidies them away now and then.
  await sql`delete from login_failures where failed_at < now() - interval '1 day'`;
}

export async function clearFailures(sql: Sql, email: string): Promise<void> {
  await sql`delete from login_failures where lower(email) = lower(${email})`;
}
