import { degrees, PDFDocument, rgb, StandardFonts } from 'pdf-lib';

const RED = rgb(0.72, 0.11, 0.11);

/** The billing system's PDF with the level's word stamped across its first page, as on the copies Relance renders. */
export async function stampPdf(pdf: Uint8Array, word: string): Promise<Uint8Array> {
  const doc = await PDFDocument.load(pdf);
  const font = await doc.embedFont(StandardFonts.HelveticaBold);
  const page = doc.getPage(0);
  const { height } = page.getSize();
  const size = 40;
  const width = font.widthOfTextAtSize(word, size);
  const x = 70;
  const y = height * 0.45;
  const rotate = degrees(18);
  page.drawRectangle({ x: x - 18, y: y - 16, width: width + 36, height: size + 22, borderColor: RED, borderWidth: 5, rotate, opacity: 0, borderOpacity: 0.8 });
  page.drawText(word, { x, y, size, font, color: RED, rotate, opacity: 0.8 });
  return doc.save();
}
