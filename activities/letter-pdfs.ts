import type { Sql } from '../db/client.js';
import type { Customer } from '../db/queries/customers.js';
import { invoicePdfOf } from '../db/queries/invoice-files.js';
import type { StoredTemplate } from '../db/queries/templates.js';
import type { MergeFields } from '../services/documents/merge-fields.js';
import { mergePdfs, pageCount } from '../services/pdf/merge.js';
import type { PdfRenderer } from '../services/pdf/pdf-renderer.js';
import { stampPdf } from '../services/pdf/stamp.js';
import { renderLetter, stampWord } from '../services/documents/render.js';

export const hasPostalAddress = (c: Customer) => Boolean(c.addressLine1.trim() && c.city.trim());

/** The PDFs of postal reminders: letters, and invoice copies stamped with the level's word. */
export function createLetterPdfs({ sql, pdf }: { sql: Sql; pdf: PdfRenderer }) {
  /** The stamped invoice copy: the billing system's own PDF when it sent one, else rendered from the invoice's data. */
  async function invoiceCopyPdf(invoiceId: number, isFinal: boolean, customer: Customer, fields: MergeFields): Promise<Uint8Array> {
    const stamp = stampWord(isFinal, customer.language);
    const billing = await invoicePdfOf(sql, invoiceId);
    if (billing) return stampPdf(billing, stamp);
    return pdf.render(renderLetter({ subject: '', body: '' }, fields, { stamp, language: customer.language, part: 'copy' }));
  }

  return {
    invoiceCopyPdf,

    /** The letter followed by the stamped invoice copy, as one PDF; a formal notice goes by registered letter and says so. */
    async letterPdf(invoiceId: number, template: StoredTemplate, isFinal: boolean, customer: Customer, fields: MergeFields) {
      const stamp = stampWord(isFinal, customer.language);
      if (await invoicePdfOf(sql, invoiceId)) {
        const letter = await pdf.render(renderLetter(template, fields, { stamp, language: customer.language, part: 'letter', registered: isFinal }));
        return mergePdfs([letter, await invoiceCopyPdf(invoiceId, isFinal, customer, fields)]);
      }
      // Rendered from the invoice's data, letter and copy come out of Chromium in one pass.
      const content = await pdf.render(renderLetter(template, fields, { stamp, language: customer.language, registered: isFinal }));
      return { pdf: content, pages: await pageCount(content) };
    },

    /** A statement by post: one cover letter listing the invoices, then each invoice's stamped copy. */
    async statementPdf(template: StoredTemplate, customer: Customer, fields: MergeFields, copies: { invoiceId: number; isFinal: boolean; fields: MergeFields }[]) {
      const cover = await pdf.render(renderLetter(template, fields, { stamp: '', language: customer.language, part: 'letter' }));
      return mergePdfs([cover, ...(await Promise.all(copies.map((c) => invoiceCopyPdf(c.invoiceId, c.isFinal, customer, c.fields))))]);
    },
  };
}
