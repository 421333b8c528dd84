#!/usr/bin/env node
// `npm test`: installs what is missing on a fresh clone, type-checks, runs the whole suite, and
// closes with one plain "N passed, N failed" line.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';

function run(cmd, args) {
  const r = spawnSync(cmd, args, { stdio: 'inherit' });
  if (r.status !== 0) process.exit(r.status ?? 1);
}

if (!existsSync('node_modules/.package-lock.json')) run('npm', ['install', '--no-audit', '--no-fund']);
// Browser tests and PDFs use Debian's Chromium (a browser downloaded by a test tool cannot run
// here); SEPA files are checked against the banks' XSDs with libxml2's xmllint.
const systemPackages = [['/usr/bin/chromium', 'chromium'], ['/usr/bin/xmllint', 'libxml2-utils']].filter(([path]) => !existsSync(path)).map(([, pkg]) => pkg);
if (systemPackages.length) {
  if (process.getuid?.() !== 0) {
    console.error(`Missing Debian packages: install them first (sudo apt-get install -y ${systemPackages.join(' ')}), then run npm test again.`);
    process.exit(1);
  }
  run('apt-get', ['update', '-qq']);
  run('apt-get', ['install', '-y', '-qq', ...systemPackages]);
}
run('npx', ['tsc', '--noEmit']);
// The layers, no cycles, deterministic workflow code, no floating promise (eslint.config.js).
run('npx', ['eslint', '--max-warnings=0', '.']);
mkdirSync('.data', { recursive: true });
const report = '.data/vitest-report.json';
const vitest = spawnSync('npx', ['vitest', 'run', '--reporter=default', '--reporter=json', `--outputFile.json=${report}`, ...process.argv.slice(2)], {
  stdio: 'inherit',
});
if (!existsSync(report)) process.exit(vitest.status || 1);
const r = JSON.parse(readFileSync(report, 'utf8'));
const skipped = r.numPendingTests + r.numTodoTests;
console.log(`\nvitest: ${r.numPassedTests} passed, ${r.numFailedTests} failed${skipped ? `, ${skipped} skipped` : ''}`);
// The report decides: vitest has been seen ending with status 0 after failing tests here.
process.exit(r.success && r.numFailedTests === 0 && r.numFailedTestSuites === 0 ? vitest.status ?? 1 : 1);
