import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
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

/** A downloaded SEPA zip: the XML inside it, and xmllint's verdict against the format's XSD. */
export function sepaFileOfZip(zip: Uint8Array, format: string): { xml: string; verdict: string } {
  const dir = mkdtempSync(join(tmpdir(), 'relance-sepa-zip-'));
  writeFileSync(join(dir, 'run.zip'), zip);
  const xml = firstFileOfZip(join(dir, 'run.zip'));
  writeFileSync(join(dir, 'run.xml'), xml);
  return { xml, verdict: validateAgainstXsd(join(dir, 'run.xml'), format).output };
}
