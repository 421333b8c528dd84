import type { Sql } from '../../db/client.js';
import type { Customer } from '../../db/queries/customers.js';
import type { InvoiceFactsRow } from '../../db/queries/invoices.js';
import { mergeFieldFacts, type MergeFieldFacts } from '../../db/queries/merge-field-facts.js';
import { DEFAULT_NOTICE_DAYS, lateChargesOf } from '../../db/queries/late-charges.js';
import { payLink, shortPortalLink } from '../pay-link.js';
import { paidSinceReminder } from '../../workflows/schedule/paid-since-reminder.js';
import { localDate } from '../../workflows/schedule/zoned-time.js';
import type { CompanySettings } from '../../db/queries/settings.js';
import { readConfiguration, type ConfigurationReads } from '../../db/configuration-cache.js';
import { buildMergeFields, type MergeFields } from './merge-fields.js';

/** The merge fields of one invoice at one step, as a reminder sent today would see them. */
export async function loadMergeFields(
  sql: Sql,
  input: {
    invoice: InvoiceFactsRow; settings: CompanySettings; level: number; step: { name: string; feeCents: number | null }; today: string; language?: 'fr' | 'en';
    /** Where pay links point; with Stripe configured, the reminder carries one. */
    publicUrl?: string;
    /** Where the policy, rates and pay-link keys are read: a worker's are kept across reminders. */
    configuration?: ConfigurationReads;
    /** Read already, with the reminder's claim. */
    facts?: MergeFieldFacts;
  },
): Promise<{ fields: MergeFields; customer: Customer }> {
  const { invoice, settings, today } = input;
  const configuration = input.configuration ?? readConfiguration(sql);
  const [{ customer: stored, payments, previous, lines, overdue }, links] = await Promise.all([
    input.facts ?? mergeFieldFacts(sql, invoice, input.level, today),
    // One secret signs the reminder's pay link and its customer page's links.
    input.publicUrl ? configuration.payLinkKeys() : { stripeConfigured: false, secret: '' },
  ]);
  const charges = await lateChargesOf(sql, { ...invoice, payments }, today, configuration);
  const received = paidSinceReminder(payments, {
    lastReminderAt: previous.reduce<Date | null>((latest, p) => (latest && latest >= p.sentAt ? latest : p.sentAt), null),
    firstDueOn: invoice.installments.map((s) => s.dueDate).sort()[0] ?? invoice.dueDate,
  });
  const { secret } = links;
  const customer = input.language ? { ...stored, language: input.language } : stored;
  const fields = buildMergeFields({
    settings, customer, today, level: input.level,
    invoice,
    received,
    stepName: input.step.name,
    feeCents: input.step.feeCents,
    overdue,
    returnReason: invoice.debitReturn?.reason,
    charges: charges && !charges.none ? charges : undefined,
    noticeDays: charges?.noticeDays ?? DEFAULT_NOTICE_DAYS,
    lines,
    previous: previous.map((p) => ({ stepName: p.stepName, sentOn: localDate(p.sentAt.getTime(), settings.timezone) })),
    payLink: links.stripeConfigured && input.publicUrl ? payLink(input.publicUrl, secret, 'invoice', invoice.id, today) : '',
    portalLink: input.publicUrl ? payLink(input.publicUrl, secret, 'portal', customer.id, today) : '',
    portalShortLink: input.publicUrl ? shortPortalLink(input.publicUrl, secret, customer.id, today) : '',
  });
  return { fields, customer };
}
