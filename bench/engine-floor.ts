import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { bundleWorkflowCode, DefaultLogger } from '@temporalio/worker';
import { writeFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import type { Client } from '@temporalio/client';
import { childEnvironment } from '../platform/config.js';
import { measureBulkRun, type BulkRunFigures } from './bulk-run.js';
import { measurePlanning } from './workflows.js';
import { terminateRunning } from './terminate.js';

const floorWorkflows = fileURLToPath(new URL('./floor/workflows.ts', import.meta.url));

interface FloorFigures {
  planSeconds: number;
  updatesPerSecond: number;
}

/** The engine's own cost for the invoice workflow's shape: started and through a first turn, then asked by an update. */
async function measureFloor(opts: { temporalAddress: string; client: Client; bundle: string; count: number; prefix: string; replans: boolean }): Promise<FloorFigures> {
  const started = Date.now();
  const child = spawn(process.execPath, ['--import', 'tsx', 'bench/floor/worker.ts', String(opts.count), opts.prefix, ...(opts.replans ? ['replans'] : [])], {
    stdio: ['pipe', 'pipe', 'inherit'],
    env: childEnvironment({ TEMPORAL_ADDRESS: opts.temporalAddress, WORKFLOW_BUNDLE: opts.bundle, LOG_LEVEL: 'warn', API_TOKEN: 'b'.repeat(32) }),
  });
  const exited = once(child, 'exit');
  void exited.then(() => {
    if (child.exitCode) console.error(`the floor's worker exited with ${child.exitCode}`);
  });
  try {
    const ours = `InvoiceNumber STARTS_WITH "${opts.prefix}-" AND DunningStatus = "scheduled" AND NextStepAt IS NOT NULL`;
    for (let planned = 0; planned < opts.count; ) {
      await new Promise((r) => setTimeout(r, 1000));
      if (child.exitCode !== null) throw new Error(`the floor's worker stopped (exit code ${child.exitCode})`);
      planned = (await opts.client.workflow.count(ours)).count;
      console.log(`floor: planned ${planned}/${opts.count}`);
      if ((Date.now() - started) / 1000 > 1800) throw new Error('gave up after 30 minutes');
    }
    const planSeconds = (Date.now() - started) / 1000;
    child.stdin!.write('go\n');
    // The SDK may print on the same output: the answer is the line that starts with it.
    let updateSeconds: number | undefined;
    for await (const line of createInterface({ input: child.stdout! })) {
      if (line.startsWith('{"updateSeconds"')) {
        updateSeconds = (JSON.parse(line) as { updateSeconds: number }).updateSeconds;
        break;
      }
    }
    if (updateSeconds === undefined) throw new Error("the floor's worker ended without its figure");
    return { planSeconds, updatesPerSecond: opts.count / updateSeconds };
  } finally {
    // Its workflows wait on: stopped at once rather than drained, then ended.
    child.kill('SIGKILL');
    await exited;
    await terminateRunning(opts.client, `InvoiceNumber STARTS_WITH "${opts.prefix}-"`);
  }
}

const ratio = (ours: number, floor: number) => `${(ours / floor).toFixed(2)}×`;

/**
 * Relance's planning and bulk-run figures beside the engine floor's, on the same dev server, SDK and
 * worker tuning, at each size: the ratio is what Relance's own work costs over the engine's.
 */
export async function benchEngineFloor(opts: { adminUrl: string; temporalAddress: string; client: Client; dir: string; bundle: string; sizes: number[] }): Promise<string> {
  const floorBundle = join(opts.dir, 'floor-bundle.js');
  await writeFile(floorBundle, (await bundleWorkflowCode({ workflowsPath: floorWorkflows, logger: new DefaultLogger('WARN') })).code);
  const rows: { size: number; planning: Awaited<ReturnType<typeof measurePlanning>>; run: BulkRunFigures; floor: FloorFigures; replanning: FloorFigures }[] = [];
  for (const size of opts.sizes) {
    const tag = `${Math.round(size / 1000)}K`;
    const floor = await measureFloor({ ...opts, bundle: floorBundle, count: size, prefix: `FLOOR${tag}`, replans: false });
    const replanning = await measureFloor({ ...opts, bundle: floorBundle, count: size, prefix: `REPLAN${tag}`, replans: true });
    const planning = await measurePlanning({ ...opts, invoices: size, prefix: `P${tag}` });
    const run = await measureBulkRun({ ...opts, invoices: size, prefix: `R${tag}` });
    rows.push({ size, planning, run, floor, replanning });
  }
  const last = rows.at(-1)!;
  return `## Against the engine's floor (issue 21)

The engine's floor is the invoice workflow's shape with none of Relance's work (\`bench/floor/\`): a
local activity that returns at once, one search-attribute upsert, then a wait an update ends, the
update running one more such local activity. It runs on the same dev server, SDK (same patches) and
worker tuning as Relance, in a worker process of its own started the same way; its workflows are
started as the worker starts its invoices' (eagerly, 32 at once) and asked as a bulk run asks (64 at
once). Relance's figures are the worker coming up on that many open invoices until each has planned
its next step, and a bulk run of that many e-mail reminders (rendered, sent to a local server
speaking Resend's API, recorded), end to end.

| invoices | planned: Relance | floor | ratio | bulk run: Relance | floor | ratio | target |
| --- | --- | --- | --- | --- | --- | --- | --- |
${rows.map((r) => `| ${r.size.toLocaleString('en')} | ${r.planning.planSeconds.toFixed(1)} s | ${r.floor.planSeconds.toFixed(1)} s | ${ratio(r.planning.planSeconds, r.floor.planSeconds)} | ${(r.run.sent / r.run.seconds).toFixed(1)} e-mails/s | ${r.floor.updatesPerSecond.toFixed(1)} updates/s | ${ratio(r.floor.updatesPerSecond, r.run.sent / r.run.seconds)} | ≤ 1.25× |`).join('\n')}

The same floor with the engine's commands of an invoice's workflow too, still without its work: it
sleeps on a timer until its next step, and after the ask publishes its new plan and sleeps on a new
timer, as an invoice's workflow does after a reminder. What is left between it and Relance is
Relance's own work: the database, rendering, sending and recording.

| invoices | planned: Relance | floor with timers | ratio | bulk run: Relance | floor with timers | ratio |
| --- | --- | --- | --- | --- | --- | --- |
${rows.map((r) => `| ${r.size.toLocaleString('en')} | ${r.planning.planSeconds.toFixed(1)} s | ${r.replanning.planSeconds.toFixed(1)} s | ${ratio(r.planning.planSeconds, r.replanning.planSeconds)} | ${(r.run.sent / r.run.seconds).toFixed(1)} e-mails/s | ${r.replanning.updatesPerSecond.toFixed(1)} updates/s | ${ratio(r.replanning.updatesPerSecond, r.run.sent / r.run.seconds)} |`).join('\n')}

Each bulk run sent ${rows.map((r) => `${r.run.sent.toLocaleString('en')} of ${r.size.toLocaleString('en')} (${r.run.twice} twice)`).join(', ')}; worker peak memory while planning ${rows.map((r) => `${r.planning.peakMb.toFixed(0)} MB`).join(', ')}.

Statements the database ran per reminder in the bulk run of ${last.size.toLocaleString('en')}: ${last.run.statementsPerReminder?.toFixed(1) ?? 'not counted'} (each a round trip; BEGIN and COMMIT count). The most frequent:

| calls | statement |
| --- | --- |
${last.run.topStatements.map((s) => `| ${s.calls.toLocaleString('en')} | \`${s.query.replaceAll('|', '\\|').replaceAll('`', "'")}\` |`).join('\n')}
`;
}
