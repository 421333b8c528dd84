import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { chmod, readFile, rename, writeFile } from 'node:fs/promises';

/** A secret kept in a file only its owner may read (0600): read when it exists, else made now. */
export async function secretInFile(file: string): Promise<string> {
  if (existsSync(file)) {
    await chmod(file, 0o600);
    return (await readFile(file, 'utf8')).trim();
  }
  return writeSecretFile(file, randomBytes(24).toString('base64url'));
}

/** Writes a secret whole or not at all (a temporary file renamed into place), readable by its owner alone. */
export async function writeSecretFile(file: string, secret: string): Promise<string> {
  await writeFile(`${file}.new`, `${secret}\n`, { mode: 0o600 });
  await rename(`${file}.new`, file);
  return secret;
}
