import { fileURLToPath } from 'node:url';
import { getDocument } from 'pdfjs-dist/legacy/build/pdf.mjs';

const FONTS = fileURLToPath(new URL('../../node_modules/pdfjs-dist/standard_fonts/', import.meta.url));

/** The text of each page of a PDF, read back with Mozilla's pdf.js. */
export async function pdfPages(data: Uint8Array): Promise<string[]> {
  const doc = await getDocument({ data: new Uint8Array(data), useSystemFonts: false, isEvalSupported: false, standardFontDataUrl: FONTS }).promise;
  const pages: string[] = [];
  for (let n = 1; n <= doc.numPages; n++) {
    const content = await (await doc.getPage(n)).getTextContent();
    pages.push(content.items.map((i) => ('str' in i ? i.str : '')).join(' ').replace(/\s+/g, ' '));
  }
  await doc.destroy();
  return pages;
}

export interface PlacedText {
  str: string;
  /** Where its baseline starts and ends on the page, in points from the bottom-left corner. */
  from: { x: number; y: number };
  to: { x: number; y: number };
  size: number;
}

/** The text of each page with where it stands, and the page's size, to check a layout. */
export async function pdfLayout(data: Uint8Array): Promise<{ width: number; height: number; items: PlacedText[] }[]> {
  const doc = await getDocument({ data: new Uint8Array(data), useSystemFonts: false, isEvalSupported: false, standardFontDataUrl: FONTS }).promise;
  const pages = [];
  for (let n = 1; n <= doc.numPages; n++) {
    const page = await doc.getPage(n);
    const [, , width, height] = page.view as [number, number, number, number];
    const items: PlacedText[] = [];
    for (const item of (await page.getTextContent()).items) {
      if (!('str' in item) || !item.str.trim()) continue;
      const [a, b, , , e, f] = item.transform as number[];
      const angle = Math.atan2(b!, a!);
      items.push({ str: item.str, from: { x: e!, y: f! }, to: { x: e! + item.width * Math.cos(angle), y: f! + item.width * Math.sin(angle) }, size: Math.hypot(a!, b!) });
    }
    pages.push({ width, height, items });
  }
  await doc.destroy();
  return pages;
}
