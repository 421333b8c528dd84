import { hash, verify } from '@node-rs/argon2';

// Argon2id with the library's defaults (OWASP-level memory and time costs).
export const hashPassword = (password: string) => hash(password);

export async function passwordMatches(passwordHash: string, password: string): Promise<boolean> {
  return verify(passwordHash, password).catch(() => false);
}
