import { ApplicationFailure } from '@temporalio/activity';
import type { Sql } from '../db/client.js';
import { invoiceFacts } from '../db/queries/invoices.js';
import { lateChargesOf, noteOnDay, saveNote } from '../db/queries/late-charges.js';
import { getSettings } from '../db/queries/settings.js';
import { NON_RETRYABLE } from '../workflows/errors.js';
import { loadMergeFields } from '../services/documents/load-merge-fields.js';
import { pageCount } from '../services/pdf/merge.js';
import type { PdfRenderer } from '../services/pdf/pdf-renderer.js';
import { renderLetter } from '../services/documents/render.js';

const table = (rows: [string, string][]) =>
  `<table>${rows.map(([label, value]) => `<tr><th>${label}</th><td class="num">${value}</td></tr>`).join('')}</table>`;

/** The note's wording: the amounts are due on top of the invoice, which is left as it was. */
const NOTE_TEXT = {
  fr: {
    subject: 'Note de frais de recouvrement et d’intérêts de retard : facture {{invoice.number}}',
    body: `<p>Madame, Monsieur,</p>
<p>La facture <strong>{{invoice.number}}</strong> du {{invoice.issueDate}}, échue le {{invoice.dueDate}}, n'a pas été réglée à son échéance ({{daysLate}} jours de retard au {{today}}).
Conformément à l'article L441-10 du Code de commerce, les sommes suivantes sont dues en sus de la facture, dont le montant reste inchangé :</p>
${table([
  ['Intérêts de retard au taux annuel de {{lateCharges.rate}}', '{{lateCharges.interest}}'],
  ['Indemnité forfaitaire pour frais de recouvrement', '{{lateCharges.indemnity}}'],
  ['<strong>Total dû au titre de cette note</strong>', '<strong>{{lateCharges.total}}</strong>'],
  ['Pour mémoire, reste dû sur la facture {{invoice.number}}', '{{invoice.balance}}'],
])}
<p>Les intérêts continuent de courir jusqu'au paiement complet de la facture.</p>
<p>Le service comptabilité<br>{{company.name}}</p>`,
  },
  en: {
    subject: 'Late-payment interest and recovery costs: invoice {{invoice.number}}',
    body: `<p>Dear Sir or Madam,</p>
<p>Invoice <strong>{{invoice.number}}</strong> of {{invoice.issueDate}}, due on {{invoice.dueDate}}, was not paid when due ({{daysLate}} days late on {{today}}).
Under article L441-10 of the French Commercial Code (Directive 2011/7/EU), the following amounts are owed in addition to the invoice, which is left unchanged:</p>
${table([
  ['Late-payment interest at the yearly rate of {{lateCharges.rate}}', '{{lateCharges.interest}}'],
  ['Fixed compensation for recovery costs', '{{lateCharges.indemnity}}'],
  ['<strong>Total due under this note</strong>', '<strong>{{lateCharges.total}}</strong>'],
  ['For reference, balance of invoice {{invoice.number}}', '{{invoice.balance}}'],
])}
<p>Interest keeps accruing until the invoice is paid in full.</p>
<p>Accounts receivable<br>{{company.name}}</p>`,
  },
};

export function createLateChargeActivities({ sql, pdf }: { sql: Sql; pdf: PdfRenderer }) {
  return {
    /**
     * Issues the late-charge note of an invoice as of a day: a separate PDF referring to the
     * invoice, kept with its amounts and written on the timeline. Once per invoice and day.
     */
    async issueLateChargeNote(input: { invoiceId: number; asOf: string; actor: string }): Promise<{ noteId: number }> {
      const existing = await noteOnDay(sql, input.invoiceId, input.asOf);
      if (existing) return { noteId: existing.id };
      const [charges, invoice, settings] = await Promise.all([lateChargesOf(sql, input.invoiceId, input.asOf), invoiceFacts(sql, input.invoiceId), getSettings(sql)]);
      if (!charges || !invoice) throw ApplicationFailure.nonRetryable(`invoice ${input.invoiceId} has no due date`, NON_RETRYABLE.notFound);
      if (charges.interestCents + charges.indemnityCents === 0) {
        throw ApplicationFailure.nonRetryable(charges.none ? "the customer's policy charges no late interest nor indemnity" : 'nothing has accrued yet', NON_RETRYABLE.invalidInput);
      }
      const { fields, customer } = await loadMergeFields(sql, { invoice, settings, level: 0, step: { name: '', feeCents: null }, today: input.asOf });
      const language = customer.language === 'en' ? 'en' : 'fr';
      const content = await pdf.render(renderLetter(NOTE_TEXT[language], fields, { stamp: '', language, part: 'letter' }));
      const note = await saveNote(sql, {
        charges, content, pages: await pageCount(content), actor: input.actor,
        filename: `${invoice.number}-${language === 'fr' ? 'frais-de-retard' : 'late-charges'}-${input.asOf}.pdf`.replace(/[^\w.-]/g, '_'),
      });
      return { noteId: note.id };
    },
  };
}
