import { html } from 'hono/html';

/**
 * A line over time drawn on the server as SVG, readable without JavaScript: the first and last
 * days under it, the lowest and highest values beside it, each point's value in its tooltip.
 */
export function lineChart(points: { day: string; value: number }[], p: { label: string; formatValue: (v: number) => string; formatDay: (d: string) => string; colour: string }) {
  const width = 640;
  const height = 180;
  const left = 90;
  const bottom = 24;
  if (points.length === 0) return '';
  const values = points.map((q) => q.value);
  const [low, high] = [Math.min(0, ...values), Math.max(...values, 1)];
  const x = (i: number) => left + (points.length === 1 ? 0 : (i / (points.length - 1)) * (width - left - 8));
  const y = (v: number) => 8 + (1 - (v - low) / (high - low)) * (height - bottom - 16);
  const path = points.map((q, i) => `${i === 0 ? 'M' : 'L'}${x(i).toFixed(1)} ${y(q.value).toFixed(1)}`).join(' ');
  // One tooltip target a week is enough to read the line back without drawing hundreds of dots.
  const marks = points.filter((_, i) => i % 7 === 0 || i === points.length - 1);
  return html`<svg class="chart" role="img" aria-label="${p.label}" viewBox="0 0 ${width} ${height}" width="100%">
    <line x1="${left}" y1="${y(high)}" x2="${width - 8}" y2="${y(high)}" stroke="#e5e7eb"/>
    <line x1="${left}" y1="${y(low)}" x2="${width - 8}" y2="${y(low)}" stroke="#9ca3af"/>
    <text x="${left - 6}" y="${y(high) + 4}" font-size="11" text-anchor="end" fill="#374151">${p.formatValue(high)}</text>
    <text x="${left - 6}" y="${y(low) + 4}" font-size="11" text-anchor="end" fill="#374151">${p.formatValue(low)}</text>
    <path d="${path}" fill="none" stroke="${p.colour}" stroke-width="2"/>
    ${marks.map((q) => {
      const i = points.indexOf(q);
      return html`<circle cx="${x(i)}" cy="${y(q.value)}" r="3" fill="${p.colour}"><title>${p.formatDay(q.day)} · ${p.formatValue(q.value)}</title></circle>`;
    })}
    <text x="${left}" y="${height - 6}" font-size="11" fill="#374151">${p.formatDay(points[0]!.day)}</text>
    <text x="${width - 8}" y="${height - 6}" font-size="11" text-anchor="end" fill="#374151">${p.formatDay(points.at(-1)!.day)}</text>
  </svg>`;
}
