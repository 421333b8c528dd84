import { html } from 'hono/html';
import type { AgingBucket } from '../../../db/queries/dashboard.js';
import { formatMoney } from '../../../services/format.js';
import type { Lang, Messages } from '../../i18n.js';

const COLOURS: Record<AgingBucket['bucket'], string> = {
  not_due: '#2563eb', '1-30': '#f59e0b', '31-60': '#ea580c', '61-90': '#dc2626', '>90': '#7f1d1d',
};

/** Horizontal bars of the balance per aging bucket, drawn on the server as SVG. */
export function agingChart(buckets: AgingBucket[], currency: string, lang: Lang, t: Messages) {
  const width = 560;
  // Room on the right for the longest label: amount and invoice count.
  const barMax = 220;
  const row = 34;
  const max = Math.max(1, ...buckets.map((b) => b.balanceCents));
  const label = (b: AgingBucket['bucket']) => (b === 'not_due' ? t.notDue : `${b} ${t.days}`);
  return html`<svg class="chart" role="img" aria-label="${t.aging}" viewBox="0 0 ${width} ${buckets.length * row + 8}" width="100%">
    ${buckets.map((b, i) => {
      const y = i * row + 4;
      const w = Math.round((b.balanceCents / max) * barMax);
      return html`<g>
        <text x="0" y="${y + 20}" font-size="13" fill="#374151">${label(b.bucket)}</text>
        <rect x="110" y="${y + 4}" width="${Math.max(w, 2)}" height="22" rx="3" fill="${COLOURS[b.bucket]}"><title>${t.invoicesCount(b.count)}</title></rect>
        <text x="${118 + w}" y="${y + 20}" font-size="13" fill="#111827">${formatMoney(b.balanceCents, currency, lang)} · ${t.invoicesCount(b.count)}</text>
      </g>`;
    })}
  </svg>`;
}
