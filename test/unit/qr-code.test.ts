import jsqr from 'jsqr';
import { expect, it } from 'vitest';
import { qrCodeSvg } from '../../services/documents/qr-code.js';

// jsqr is CommonJS with a `default` export: Node's loader and TypeScript see it differently.
const jsQR = ((jsqr as { default?: unknown }).default ?? jsqr) as typeof jsqr.default;

/** The SVG's dark modules drawn back into pixels, as a phone's camera would see them. */
function pixels(svg: string, scale = 4): { data: Uint8ClampedArray; side: number } {
  const modules = Number(/viewBox="0 0 (\d+) \d+"/.exec(svg)![1]);
  const side = modules * scale;
  const data = new Uint8ClampedArray(side * side * 4).fill(255);
  for (const [, x, y] of svg.matchAll(/M(\d+) (\d+)h1v1h-1z/g)) {
    for (let dy = 0; dy < scale; dy++) {
      for (let dx = 0; dx < scale; dx++) {
        const at = ((Number(y) * scale + dy) * side + Number(x) * scale + dx) * 4;
        data[at] = data[at + 1] = data[at + 2] = 0;
      }
    }
  }
  return { data, side };
}

it("draws a QR code a reader decodes back to the customer's link", () => {
  const link = 'https://relance.example.fr/portal/1234/20261202.abcdefghijklmnopqrstuvwxyz012345';
  const svg = qrCodeSvg(link, 16);
  expect(svg).toContain('width="16mm"');
  const { data, side } = pixels(svg);
  expect(jsQR(data, side, side)?.data).toBe(link);
});
