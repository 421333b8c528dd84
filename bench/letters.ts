import { buildMergeFields } from '../services/documents/merge-fields.js';
import { mergePdfs, pageCount } from '../services/pdf/merge.js';
import { createPdfRenderer } from '../services/pdf/pdf-renderer.js';
import { renderLetter, stampWord } from '../services/documents/render.js';
import { DEFAULT_STEPS } from '../db/seed/default-templates.js';
import { eachConcurrently } from '../workflows/each-concurrently.js';

const CONCURRENCY = 4;

/** Letters as the worker makes them (letter + stamped invoice copy in one Chromium render), then merged as a run's download. */
export async function benchLetters(opts: { letters: number; chromiumPath: string }): Promise<string> {
  const pdf = createPdfRenderer({ executablePath: opts.chromiumPath });
  const step = DEFAULT_STEPS[1]!;
  const settings = {
    companyName: 'Ma Société SAS', companyAddress: '1 place Bellecour, 69002 Lyon', companyEmail: 'compta@masociete.fr', companyPhone: '04 00 00 00 00', companyLegalForm: 'SAS', companyCapital: '10 000 €', companySiret: '12345678900012', companyRcs: 'Lyon', companyVat: 'FR12123456789',
    mailFrom: null, timezone: 'Europe/Paris', sendHour: 9, country: 'FR', dueSoonDays: 7, minimumBalanceCents: 0, reviewHour: 7, payLinkDays: 90,
  };
  const rendered: Uint8Array[] = [];
  let peakRss = 0;
  const sample = setInterval(() => (peakRss = Math.max(peakRss, process.memoryUsage().rss)), 100);
  try {
    await pdf.render('<p>warm-up</p>');
    const started = performance.now();
    await eachConcurrently(Array.from({ length: opts.letters }, (_, i) => i), async (i) => {
      const fields = buildMergeFields({
        settings,
        customer: { id: i, ref: `C-${i}`, name: `Client ${i} SARL`, emails: [], addressLine1: `${i} rue des Lilas`, addressLine2: '', postalCode: '69003', city: 'Lyon', country: 'FR', language: 'fr', paused: false, pauseReason: null, dunningExcluded: false, policyId: null, isBusiness: true, paymentTermsId: null, siren: null, siret: null, vatNumber: null },
        invoice: { number: `F-${String(i).padStart(6, '0')}`, issueDate: '2026-09-01', dueDate: '2026-10-01', currency: 'EUR', totalCents: 120_000 + i, paidCents: 0, installments: [] },
        level: 2, stepName: step.name, feeCents: null, overdue: [], today: '2026-11-24', noticeDays: 8,
      });
      rendered[i] = await pdf.render(renderLetter(step.email.fr, fields, { stamp: stampWord(false, 'fr'), language: 'fr' }));
    }, undefined, CONCURRENCY);
    const renderSeconds = (performance.now() - started) / 1000;
    const mergeStart = performance.now();
    const merged = await mergePdfs(rendered);
    const mergeSeconds = (performance.now() - mergeStart) / 1000;
    const pages = (await Promise.all(rendered.slice(0, 10).map(pageCount))).reduce((a, b) => a + b, 0) / 10;
    const browserRss = await chromiumRssMb();
    return `## Letters (issue 4)

${opts.letters.toLocaleString('en')} letters (the letter and the stamped invoice copy, ${pages} pages each), rendered by one Chromium
(${CONCURRENCY} pages at a time) as the worker renders them, then merged into the run's download.

| measure | result | target |
| --- | --- | --- |
| letters rendered per second | ${(opts.letters / renderSeconds).toFixed(1)} (${renderSeconds.toFixed(1)} s) | 15 or more |
| merged PDF | ${merged.pages.toLocaleString('en')} pages, ${(merged.pdf.length / 2 ** 20).toFixed(1)} MB in ${mergeSeconds.toFixed(1)} s | — |
| … rendered and merged per second, end to end | ${(opts.letters / (renderSeconds + mergeSeconds)).toFixed(1)} | 15 or more |
| memory: Node process (peak RSS) + Chromium (all its processes, PSS, at the end) | ${(peakRss / 2 ** 20).toFixed(0)} MB + ${browserRss.toFixed(0)} MB | under 1.5 GB |
`;
  } finally {
    clearInterval(sample);
    await pdf.close();
  }
}

/** The memory of every Chromium process now running, in MB: PSS, so pages shared between them count once. */
async function chromiumRssMb(): Promise<number> {
  const { readdir, readFile } = await import('node:fs/promises');
  let total = 0;
  for (const pid of await readdir('/proc')) {
    if (!/^\d+$/.test(pid)) continue;
    const status = await readFile(`/proc/${pid}/status`, 'utf8').catch(() => '');
    if (!/^Name:\s+chrom/m.test(status)) continue;
    const rollup = await readFile(`/proc/${pid}/smaps_rollup`, 'utf8').catch(() => '');
    total += Number(/^Pss:\s+(\d+)/m.exec(rollup)?.[1] ?? 0) / 1024;
  }
  return total;
}
