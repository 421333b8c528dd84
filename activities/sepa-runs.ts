import { Readable } from 'node:stream';
import { ApplicationFailure, CancelledFailure, Context, heartbeat } from '@temporalio/activity';
import { ZipArchive } from 'archiver';
import type { Sql } from '../db/client.js';
import { getSepaCreditor } from '../db/queries/settings.js';
import { cancelSepaRun, failSepaRun, rejectSepaItem, sepaRunById, sepaRunItems, storeSepaFile } from '../db/queries/sepa-runs.js';
import { recordPaymentIntent, stripeChargesToCreate } from '../db/queries/stripe.js';
import { pain008Chunks, sepaFileProblems } from '../services/sepa/pain008.js';
import { configuredStripe, type StripeConnect } from '../services/stripe/stripe-client.js';
import { isFinalStripeError, stripeErrorMessage } from '../services/stripe/stripe-errors.js';

/** One file in a zip, read from `content` as the compressor asks for it. */
export async function zipOne(name: string, content: Iterable<string>): Promise<Uint8Array> {
  const zip = new ZipArchive({ zlib: { level: 9 } });
  const chunks: Buffer[] = [];
  zip.on('data', (chunk: Buffer) => chunks.push(chunk));
  const done = new Promise<void>((resolve, reject) => {
    zip.on('end', resolve);
    zip.on('error', reject);
  });
  // An error thrown while the content is read (a bad record deep in a file) must fail this call, not
  // escape as an unhandled stream error that takes the worker process down.
  const source = Readable.from(content);
  const failed = new Promise<never>((_resolve, reject) => source.once('error', (err) => {
    zip.abort();
    reject(err);
  }));
  zip.append(source, { name });
  await Promise.race([Promise.all([zip.finalize(), done]), failed]);
  return Buffer.concat(chunks);
}

export function createSepaActivities({ sql, stripe }: { sql: Sql; stripe: StripeConnect }) {
  return {
    /**
     * Builds the pain.008 file of the run's items that go through the bank, zips and stores it,
     * and returns the invoices whose workflows must hear of it.
     */
    async generateSepaFile(input: { runId: number; createdAt: string }): Promise<number[]> {
      const run = await sepaRunById(sql, input.runId);
      if (!run) throw new Error(`SEPA run ${input.runId} does not exist`);
      const [all, creditor] = await Promise.all([sepaRunItems(sql, run.id), getSepaCreditor(sql)]);
      const items = all.filter((i) => i.channel === 'file');
      const content = {
        format: run.format, messageId: run.messageId, createdAt: input.createdAt,
        creditor: { name: creditor.name, iban: creditor.iban, bic: creditor.bic, creditorId: creditor.creditorId },
        debits: items.map((i) => ({
          endToEndId: i.endToEndId, amountCents: i.amountCents, collectionDate: run.collectionDate, sequence: i.sequence,
          mandateId: i.reference, mandateSignedOn: i.signedOn, debtor: { name: i.holder, iban: i.iban, bic: i.bic },
          remittance: `${run.label ? `${run.label} ` : ''}${i.number}`,
        })),
      };
      // Checked before the stream starts: a file that cannot be built fails the run once, with its reason.
      const problems = items.length === 0 ? [] : sepaFileProblems(content);
      if (problems.length > 0) throw ApplicationFailure.nonRetryable(problems.map((p) => p.message).join('; '), 'SepaFileInvalid');
      const zip = items.length === 0 ? null : await zipOne(`${run.messageId}.xml`, pain008Chunks(content));
      return storeSepaFile(sql, run.id, { zip, transactions: all.length, totalCents: all.reduce((s, i) => s + i.amountCents, 0) });
    },

    /** The run's file could not be built: the run ends failed with the reason, its invoices released. */
    async failSepaRun(input: { runId: number; reason: string }): Promise<number[]> {
      return failSepaRun(sql, input.runId, input.reason);
    },

    /** The run's workflow was cancelled (from the run's page or in Temporal): what was not yet sent is released. */
    async cancelSepaRun(input: { runId: number; actor: string }): Promise<number[]> {
      return cancelSepaRun(sql, input.runId, input.actor);
    },

    /**
     * Debits the run's Stripe customers off-session, one payment intent per invoice. The idempotency
     * key makes a retry after a crash find the intent already created instead of debiting twice;
     * a payment Stripe refuses outright is recorded as returned so the invoice's dunning resumes.
     * The outcome of the others arrives later through the webhook.
     */
    async collectWithStripe(input: { runId: number }): Promise<number[]> {
      const charges = await stripeChargesToCreate(sql, input.runId);
      if (charges.length === 0) return [];
      const client = await configuredStripe(sql, stripe);
      const cancelled = Context.current().cancellationSignal;
      for (const charge of charges) {
        // A cancelled run asks Stripe for no further debit; the workflow then releases the rest.
        if (cancelled.aborted) throw new CancelledFailure('the SEPA run was cancelled');
        heartbeat(charge.invoiceId);
        if (!client) {
          await rejectSepaItem(sql, input.runId, charge.invoiceId, 'Stripe is not configured (Settings → Stripe)', 'stripe', 'stripe');
          continue;
        }
        try {
          const intent = await client.paymentIntents.create(
            {
              amount: charge.amountCents, currency: 'eur', customer: charge.stripeCustomerId, payment_method: charge.paymentMethodId,
              allowed_payment_method_types: ['sepa_debit'], confirm: true, off_session: true, ...(charge.mandateId && { mandate: charge.mandateId }),
              description: `Invoice ${charge.number}`, metadata: { relance_invoice: charge.number, relance_sepa_run: String(input.runId) },
            },
            { idempotencyKey: `relance-sepa-${input.runId}-${charge.invoiceId}` },
          );
          await recordPaymentIntent(sql, input.runId, charge.invoiceId, intent.id, charge.amountCents);
        } catch (err) {
          if (!isFinalStripeError(err)) throw err;
          await rejectSepaItem(sql, input.runId, charge.invoiceId, stripeErrorMessage(err).slice(0, 200), 'stripe', 'stripe');
        }
      }
      return charges.map((c) => c.invoiceId);
    },
  };
}
