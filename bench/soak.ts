import type { ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import type { Client } from '@temporalio/client';
import { buildWorkflowBundle } from '../worker/build-bundle.js';
import { benchDatabase, seedOpenInvoices } from './database.js';
import { peakRssMb, startWebProcess, startWorkerProcess, stopChild } from './processes.js';

const TOKEN = 's'.repeat(32);
const percentile = (values: number[], p: number) => [...values].sort((a, b) => a - b)[Math.min(values.length - 1, Math.floor((p / 100) * values.length))] ?? 0;

async function waitFor(what: string, check: () => Promise<boolean>, limitSeconds: number): Promise<number> {
  const started = Date.now();
  while (!(await check())) {
    if ((Date.now() - started) / 1000 > limitSeconds) throw new Error(`${what}: gave up after ${limitSeconds} s`);
    await new Promise((r) => setTimeout(r, 2000));
  }
  return (Date.now() - started) / 1000;
}

/**
 * The load drill (issue 7): many open invoices with sleeping workflows, a burst of payments
 * through the API in a minute, each ending its workflow, while finance uses the admin site.
 */
export async function benchSoak(opts: { adminUrl: string; temporalAddress: string; client: Client; dir: string; invoices: number; payments: number }): Promise<string> {
  const { invoices, payments } = opts;
  const { sql, url, drop } = await benchDatabase(opts.adminUrl, 'bench_soak');
  const web = await startWebProcess({ databaseUrl: url, temporalAddress: opts.temporalAddress, apiToken: TOKEN });
  let worker: ChildProcess | undefined;
  try {
    await seedOpenInvoices(sql, { prefix: 'S', invoices, customers: 1000, firstDueInDays: 10 });
    const bundle = await buildWorkflowBundle(join(opts.dir, 'workflow-bundle.js'));
    worker = startWorkerProcess({ databaseUrl: url, temporalAddress: opts.temporalAddress, apiToken: TOKEN, bundle });
    const scheduled = () => opts.client.workflow.count('InvoiceNumber STARTS_WITH "SF-" AND DunningStatus = "scheduled" AND NextStepAt IS NOT NULL');
    const sleepingSeconds = await waitFor('workflows planned', async () => (await scheduled()).count >= invoices, 3600);

    // Finance at work during the burst: the mass follow-up, the dashboard and invoice pages, in a loop.
    const adminLatencies: number[] = [];
    let bursting = true;
    const browse = async () => {
      const pages = ['/invoices', '/', '/invoices?q=SF-1', '/invoices/SF-42', '/review'];
      for (let i = 0; bursting; i++) {
        const t0 = performance.now();
        const res = await fetch(`${web.base}${pages[i % pages.length]}`, { headers: { cookie: web.cookie } });
        await res.arrayBuffer();
        if (res.ok) adminLatencies.push(performance.now() - t0);
      }
    };
    const admins = [browse(), browse()];

    // The payments, evenly over a minute, each paying its invoice in full.
    const apiLatencies: number[] = [];
    let refused = 0;
    const burstStart = Date.now();
    const gap = 60_000 / payments;
    await Promise.all(Array.from({ length: payments }, async (_, i) => {
      await new Promise((r) => setTimeout(r, i * gap));
      const t0 = performance.now();
      const res = await fetch(`${web.base}/api/v1/payments`, {
        method: 'POST', headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' },
        body: JSON.stringify({ invoiceNumber: `SF-${i + 1}`, amountCents: 10000 + i + 1, currency: 'EUR', paidOn: new Date().toISOString().slice(0, 10), method: 'transfer', externalId: `soak-${i + 1}` }),
      });
      await res.arrayBuffer();
      apiLatencies.push(performance.now() - t0);
      if (!res.ok) refused++;
    }));
    const burstSeconds = (Date.now() - burstStart) / 1000;
    const endedSeconds = await waitFor('paid workflows ended', async () => (await scheduled()).count <= invoices - payments, 1800);
    bursting = false;
    await Promise.all(admins);
    const peak = await peakRssMb(worker.pid!);
    const ms = (v: number) => `${v.toFixed(0)} ms`;
    return `## Load drill (issue 7)

${invoices.toLocaleString('en')} open invoices with sleeping workflows; ${payments.toLocaleString('en')} payments through \`POST /api/v1/payments\`
spread over a minute, each paying its invoice in full; two admin users browsing meanwhile (mass follow-up,
dashboard, search, an invoice page, the review), each sending its next request when the last is answered.

| measure | result | target |
| --- | --- | --- |
| workflows started and planned by the worker as it comes up | ${sleepingSeconds.toFixed(0)} s | — |
| payments accepted / refused | ${payments - refused} / ${refused} in ${burstSeconds.toFixed(1)} s | all, within the minute |
| payment API latency p50 / p95 / max (the answer once the payment is committed; the workflow is told right after) | ${ms(percentile(apiLatencies, 50))} / ${ms(percentile(apiLatencies, 95))} / ${ms(Math.max(...apiLatencies))} | p95 under 300 ms (issue 21) |
| every paid invoice's workflow ended | ${(burstSeconds + endedSeconds).toFixed(0)} s after the burst began | all |
| admin pages from the burst until every paid workflow ended: served, p50 / p95 | ${adminLatencies.length}, ${ms(percentile(adminLatencies, 50))} / ${ms(percentile(adminLatencies, 95))} | responsive |
| worker peak memory (VmHWM) | ${peak.toFixed(0)} MB | — |
`;
  } finally {
    if (worker) await stopChild(worker);
    await web.stop();
    await drop();
  }
}
