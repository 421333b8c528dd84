import type { Client } from '@temporalio/client';
import { benchDatabase, seedOpenInvoices } from './database.js';
import { peakRssMb, startWorkerProcess, stopChild } from './processes.js';
import { terminateRunning } from './terminate.js';

export interface PlanningOptions {
  adminUrl: string;
  temporalAddress: string;
  client: Client;
  /** The prebuilt workflow bundle the worker loads. */
  bundle: string;
  invoices: number;
  /** Names this measurement's invoices, database and task queue apart from the others in the same run. */
  prefix: string;
}

/** Invoice workflows started and planned by a worker coming up on a database of open invoices. */
export async function measurePlanning(opts: PlanningOptions): Promise<{ startSeconds: number; planSeconds: number; peakMb: number }> {
  const { invoices, prefix } = opts;
  const { sql, url, drop } = await benchDatabase(opts.adminUrl, `bench_workflows_${prefix.toLowerCase()}`);
  try {
    await seedOpenInvoices(sql, { prefix, invoices, customers: 500, firstDueInDays: 5 });
    // The worker starts every open invoice's workflow itself (eagerly) when it comes up.
    const started = Date.now();
    const worker = startWorkerProcess({
      databaseUrl: url, temporalAddress: opts.temporalAddress, apiToken: 'b'.repeat(32), bundle: opts.bundle, env: { TEMPORAL_TASK_QUEUE: `${prefix.toLowerCase()}-plan` },
    });
    try {
      const ours = `InvoiceNumber STARTS_WITH "${prefix}F-"`;
      let startSeconds = 0;
      // Planned = the workflow has loaded its invoice, computed its next step and published NextStepAt.
      let planned = 0;
      while (planned < invoices) {
        await new Promise((r) => setTimeout(r, 1000));
        if (!startSeconds && (await opts.client.workflow.count(ours)).count >= invoices) startSeconds = (Date.now() - started) / 1000;
        planned = (await opts.client.workflow.count(`${ours} AND DunningStatus = "scheduled" AND NextStepAt IS NOT NULL`)).count;
        console.log(`planned ${planned}/${invoices}`);
        if ((Date.now() - started) / 1000 > 1800) throw new Error('gave up after 30 minutes');
      }
      return { startSeconds, planSeconds: (Date.now() - started) / 1000, peakMb: await peakRssMb(worker.pid!) };
    } finally {
      await stopChild(worker);
      await terminateRunning(opts.client, `InvoiceNumber STARTS_WITH "${prefix}F-"`);
    }
  } finally {
    await drop();
  }
}

export async function benchWorkflows(opts: Omit<PlanningOptions, 'prefix'>): Promise<string> {
  const { invoices } = opts;
  const { startSeconds, planSeconds, peakMb } = await measurePlanning({ ...opts, prefix: 'B' });
  return `## Invoice workflows (issue 2)

| measure | result | target |
| --- | --- | --- |
| ${invoices.toLocaleString('en')} invoice workflows started by the worker as it comes up | ${startSeconds.toFixed(1)} s (${Math.round(invoices / startSeconds)} per second) | — |
| … and each has loaded its invoice and planned its next step | ${planSeconds.toFixed(1)} s after the worker was launched | under 60 s |
| worker peak memory (VmHWM) with ${invoices.toLocaleString('en')} sleeping workflows | ${peakMb.toFixed(0)} MB | under 1 GB |
`;
}
