import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { XSD_DIR } from '../test/helpers/sepa-xml.js';

interface Side {
  seconds: number;
  bytes: number;
  zipBytes: number;
  maxRssMb: number;
  valid: boolean;
}

/** 100,000 direct debits built and zipped by Relance and by the `sepa` package, each in its own process, each file checked by xmllint. */
export async function benchSepaFile(opts: { transactions: number; dir: string }): Promise<string> {
  const run = (library: 'relance' | 'sepa'): Side => {
    const file = join(opts.dir, `${library}.xml`);
    const child = spawnSync(process.execPath, ['--import', 'tsx', 'bench/sepa-file-child.ts', library, String(opts.transactions), file], { encoding: 'utf8', maxBuffer: 1 << 20 });
    if (child.status !== 0) throw new Error(`${library}: ${child.stderr}`);
    const lint = spawnSync('xmllint', ['--noout', '--huge', '--schema', join(XSD_DIR, 'pain.008.001.02.xsd'), file], { encoding: 'utf8' });
    return { ...JSON.parse(child.stdout.trim().split('\n').at(-1)!), valid: lint.status === 0 };
  };
  const ours = run('relance');
  const theirs = run('sepa');
  const row = (name: string, s: Side) =>
    `| ${name} | ${s.seconds.toFixed(2)} s | ${s.maxRssMb.toFixed(0)} MB | ${(s.bytes / 2 ** 20).toFixed(1)} MB → ${(s.zipBytes / 2 ** 20).toFixed(1)} MB | ${s.valid ? 'valid' : 'INVALID'} |`;
  return `## SEPA file of ${opts.transactions.toLocaleString('en')} direct debits (issue 5)

The same ${opts.transactions.toLocaleString('en')} transactions (two sequence types) built as pain.008.001.02 and zipped, each library in a
process of its own; the file is checked against the XSD with \`xmllint\`.

| builder | built and zipped | peak memory (max RSS) | XML → zip | XSD |
| --- | --- | --- | --- | --- |
${row('Relance (`xmlbuilder2` document, transactions streamed)', ours)}
${row('`sepa` package 3.0', theirs)}

Target: no slower than the \`sepa\` package, peak memory under 400 MB, valid output.
`;
}
