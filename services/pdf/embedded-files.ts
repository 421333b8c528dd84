import { inflateSync } from 'node:zlib';
import { decodePDFRawStream, PDFDict, PDFDocument, PDFHexString, PDFName, PDFRawStream, PDFString } from 'pdf-lib';

/** An attached file larger than this once inflated is refused unread: a few kilobytes can inflate to gigabytes. */
export const MAX_EMBEDDED_FILE_BYTES = 20 * 1024 * 1024;

export class EmbeddedFileTooLarge extends Error {}

/**
 * The files attached to a PDF (a Factur-X invoice carries its XML so), by their names. A PDF/A-3
 * names each in a file specification; its content is the stream under `EF`, usually compressed.
 */
export async function embeddedFiles(pdf: Uint8Array): Promise<{ name: string; content: Uint8Array }[]> {
  const doc = await PDFDocument.load(pdf, { updateMetadata: false });
  const files: { name: string; content: Uint8Array }[] = [];
  for (const [, object] of doc.context.enumerateIndirectObjects()) {
    if (!(object instanceof PDFDict) || object.lookup(PDFName.of('Type')) !== PDFName.of('Filespec')) continue;
    const nameObject = object.lookup(PDFName.of('UF')) ?? object.lookup(PDFName.of('F'));
    const name = nameObject instanceof PDFString || nameObject instanceof PDFHexString ? nameObject.decodeText() : '';
    const stream = object.lookupMaybe(PDFName.of('EF'), PDFDict)?.lookup(PDFName.of('F'));
    if (stream instanceof PDFRawStream) files.push({ name, content: contentOf(stream) });
  }
  return files;
}

function contentOf(stream: PDFRawStream): Uint8Array {
  const filter = stream.dict.lookup(PDFName.of('Filter'));
  if (filter === undefined) return stream.contents;
  if (filter === PDFName.of('FlateDecode')) {
    try {
      return inflateSync(stream.contents, { maxOutputLength: MAX_EMBEDDED_FILE_BYTES });
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ERR_BUFFER_TOO_LARGE') throw new EmbeddedFileTooLarge();
      throw err;
    }
  }
  return decodePDFRawStream(stream).decode();
}
