import { join } from 'node:path';
import type { Client } from '@temporalio/client';
import { buildWorkflowBundle } from '../worker/build-bundle.js';
import { benchDatabase, seedOpenInvoices } from './database.js';
import { peakRssMb, startWorkerProcess, stopChild } from './processes.js';

/** Invoice workflows started and planned by a worker coming up on a database of open invoices. */
export async function benchWorkflows(opts: { adminUrl: string; temporalAddress: string; client: Client; dir: string; invoices: number }): Promise<string> {
  const { invoices } = opts;
  const { sql, url, drop } = await benchDatabase(opts.adminUrl, 'bench_workflows');
  try {
    await seedOpenInvoices(sql, { prefix: 'B', invoices, customers: 500, firstDueInDays: 5 });

    const bundle = await buildWorkflowBundle(join(opts.dir, 'workflow-bundle.js'));
    // The worker starts every open invoice's workflow itself (eagerly) when it comes up.
    const started = Date.now();
    const worker = startWorkerProcess({ databaseUrl: url, temporalAddress: opts.temporalAddress, apiToken: 'b'.repeat(32), bundle });
    try {
      let startSeconds = 0;
      // Planned = the workflow has loaded its invoice, computed its next step and published NextStepAt.
      let planned = 0;
      while (planned < invoices) {
        await new Promise((r) => setTimeout(r, 1000));
        if (!startSeconds && (await opts.client.workflow.count()).count >= invoices) startSeconds = (Date.now() - started) / 1000;
        planned = (await opts.client.workflow.count('DunningStatus = "scheduled" AND NextStepAt IS NOT NULL')).count;
        console.log(`planned ${planned}/${invoices}`);
        if ((Date.now() - started) / 1000 > 900) throw new Error('gave up after 15 minutes');
      }
      const planSeconds = (Date.now() - started) / 1000;
      const peak = await peakRssMb(worker.pid!);
      return `## Invoice workflows (issue 2)

| measure | result | target |
| --- | --- | --- |
| ${invoices.toLocaleString('en')} invoice workflows started by the worker as it comes up | ${startSeconds.toFixed(1)} s (${Math.round(invoices / startSeconds)} per second) | — |
| … and each has loaded its invoice and planned its next step | ${planSeconds.toFixed(1)} s after the worker was launched | under 60 s |
| worker peak memory (VmHWM) with ${invoices.toLocaleString('en')} sleeping workflows | ${peak.toFixed(0)} MB | under 1 GB |
`;
    } finally {
      await stopChild(worker);
    }
  } finally {
    await drop();
  }
}
