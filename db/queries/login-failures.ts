import type { ISql, Sql } from '../client.js';

/** Who is trying: the address typed, the connecting client, and the browser's device cookie when it holds a valid one. */
export interface SignInAttempt {
  email: string;
  client: string;
  device: string | null;
}

export interface AttemptLimits {
  windowMinutes: number;
  perEmail: number;
  perDevice: number;
  perClient: number;
}

/**
 * Takes a slot for one sign-in attempt, or says how long to wait. The attempt is written as a
 * failure before the password is checked, under a lock per address, so that N guesses sent at once
 * count as N; a successful sign-in then takes its own row back. A trusted device is counted on its
 * own; anyone else is counted per address and per client.
 */
export async function takeAttemptSlot(sql: Sql, a: SignInAttempt, l: AttemptLimits): Promise<{ id: number } | { waitMinutes: number }> {
  return sql.begin(async (tx) => {
    await tx`select pg_advisory_xact_lock(hashtext(${`sign-in:${a.email.toLowerCase()}`}))`;
    // A trusted device is counted on its own; anyone else by the address typed.
    const mine = a.device === null ? tx`lower(email) = lower(${a.email}) and device is null` : tx`device = ${a.device}`;
    const [row] = await tx<[{ forKey: number; fromClient: number; oldest: Date | null }]>`
      select count(*) filter (where ${mine})::int as "forKey",
             count(*) filter (where client = ${a.client} and device is null)::int as "fromClient",
             min(failed_at) filter (where ${mine}) as oldest
      from login_failures
      where failed_at > now() - make_interval(mins => ${l.windowMinutes})
        and (lower(email) = lower(${a.email}) or client = ${a.client} or device = ${a.device ?? ''})`;
    const limit = a.device === null ? l.perEmail : l.perDevice;
    if (row.forKey >= limit || (a.device === null && row.fromClient >= l.perClient)) {
      const since = row.oldest ? (Date.now() - row.oldest.getTime()) / 60_000 : 0;
      return { waitMinutes: Math.max(1, Math.ceil(l.windowMinutes - since)) };
    }
    const [slot] = await tx<[{ id: number }]>`insert into login_failures (email, client, device) values (${a.email}, ${a.client}, ${a.device}) returning id`;
    // Old attempts serve nothing; a sign-in tidies them away now and then.
    await tx`delete from login_failures where failed_at < now() - interval '1 day'`;
    return { id: Number(slot.id) };
  });
}

/** A successful sign-in: its own attempt and the address's earlier failures from this device (or from untrusted clients) are forgotten. */
export async function clearFailures(sql: ISql, a: SignInAttempt, slotId: number): Promise<void> {
  await sql`delete from login_failures where id = ${slotId}
    or (lower(email) = lower(${a.email}) and ${a.device === null ? sql`device is null` : sql`device = ${a.device}`})`;
}
