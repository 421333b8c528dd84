import { hash, verify } from '@node-rs/argon2';

// Argon2id with the library's defaults (OWASP-level memory and time costs).
export const hashPassword = (password: string) => hash(password);

export async function passwordMatches(passwordHash: string, password: string): Promise<boolean> {
  return verify(passwordHash, password).catch(() => false);
}

// A hash of nothing anyone knows: an unknown address is checked against it, so a failure costs the
// same time whether or not the address exists, and timing tells an attacker nothing.
let decoy: Promise<string> | undefined;

/** The user's hash when there is one, else the decoy: the answer is false either way for an unknown user. */
export async function verifyUserPassword(user: { passwordHash: string } | undefined, password: string): Promise<boolean> {
  decoy ??= hash(`decoy-${Math.random()}-${Date.now()}`);
  const matches = await passwordMatches(user?.passwordHash ?? (await decoy), password);
  return user !== undefined && matches;
}
