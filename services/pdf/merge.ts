import { PDFDocument } from 'pdf-lib';

/** One PDF of several, pages in order; returns it with its page count. */
export async function mergePdfs(parts: readonly Uint8Array[]): Promise<{ pdf: Uint8Array; pages: number }> {
  const merged = await PDFDocument.create();
  for (const part of parts) {
    const source = await PDFDocument.load(part);
    for (const page of await merged.copyPages(source, source.getPageIndices())) merged.addPage(page);
  }
  return { pdf: await merged.save(), pages: merged.getPageCount() };
}

export async function pageCount(pdf: Uint8Array): Promise<number> {
  return (await PDFDocument.load(pdf)).getPageCount();
}
