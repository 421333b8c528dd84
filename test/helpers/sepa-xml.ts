import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The first file of a zip, read with Python's zipfile (an independent reader of what users download). */
export function firstFileOfZip(path: string): string {
  const r = spawnSync('python3', ['-c', 'import sys, zipfile; z = zipfile.ZipFile(sys.argv[1]); sys.stdout.write(z.read(z.namelist()[0]).decode())', path], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`not a readable zip: ${r.stderr}`);
  return r.stdout;
}

/** The official schemas, byte for byte as in ../shared/sepa/xsd (SOURCE.md says where they come from). */
export const XSD_DIR = fileURLToPath(new URL('../fixtures/sepa-xsd/', import.meta.url));

/** xmllint's verdict against one of the official XSDs. */
export function validateAgainstXsd(xmlPath: string, format: string): { ok: boolean; output: string } {
  const r = spawnSync('xmllint', ['--noout', '--schema', join(XSD_DIR, `${format}.xsd`), xmlPath], { encoding: 'utf8' });
  return { ok: r.status === 0, output: r.stderr };
}
