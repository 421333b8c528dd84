import { spawnSync } from 'node:child_process';

/** The first file of a zip, read with Python's zipfile (an independent reader of what users download). */
export function firstFileOfZip(path: string): string {
  const r = spawnSync('python3', ['-c', 'import sys, zipfile; z = zipfile.ZipFile(sys.argv[1]); sys.stdout.write(z.read(z.namelist()[0]).decode())', path], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`not a readable zip: ${r.stderr}`);
  return r.stdout;
}

/** xmllint's verdict against one of the official XSDs in ../shared/sepa/xsd. */
export function validateAgainstXsd(xmlPath: string, format: string): { ok: boolean; output: string } {
  const r = spawnSync('xmllint', ['--noout', '--schema', `../shared/sepa/xsd/${format}.xsd`, xmlPath], { encoding: 'utf8' });
  return { ok: r.status === 0, output: r.stderr };
}
