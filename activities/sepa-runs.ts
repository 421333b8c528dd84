import { Readable } from 'node:stream';
import { ZipArchive } from 'archiver';
import type { Sql } from '../db/client.js';
import { getSepaCreditor } from '../db/queries/settings.js';
import { sepaRunById, sepaRunItems, storeSepaFile } from '../db/queries/sepa-runs.js';
import { pain008Chunks } from './sepa/pain008.js';

/** One file in a zip, read from `content` as the compressor asks for it. */
export async function zipOne(name: string, content: Iterable<string>): Promise<Uint8Array> {
  const zip = new ZipArchive({ zlib: { level: 9 } });
  const chunks: Buffer[] = [];
  zip.on('data', (chunk: Buffer) => chunks.push(chunk));
  const done = new Promise<void>((resolve, reject) => {
    zip.on('end', resolve);
    zip.on('error', reject);
  });
  zip.append(Readable.from(content), { name });
  await zip.finalize();
  await done;
  return Buffer.concat(chunks);
}

export function createSepaActivities({ sql }: { sql: Sql }) {
  return {
    /** Builds the run's pain.008 file, zips and stores it, and returns the invoices whose workflows must hear of it. */
    async generateSepaFile(input: { runId: number; createdAt: string }): Promise<number[]> {
      const run = await sepaRunById(sql, input.runId);
      if (!run) throw new Error(`SEPA run ${input.runId} does not exist`);
      const [items, creditor] = await Promise.all([sepaRunItems(sql, run.id), getSepaCreditor(sql)]);
      const file = pain008Chunks({
        format: run.format, messageId: run.messageId, createdAt: input.createdAt,
        creditor: { name: creditor.name, iban: creditor.iban, bic: creditor.bic, creditorId: creditor.creditorId },
        debits: items.map((i) => ({
          endToEndId: i.endToEndId, amountCents: i.amountCents, collectionDate: run.collectionDate, sequence: i.sequence,
          mandateId: i.reference, mandateSignedOn: i.signedOn, debtor: { name: i.holder, iban: i.iban, bic: i.bic },
          remittance: `${run.label ? `${run.label} ` : ''}${i.number}`,
        })),
      });
      const zip = await zipOne(`${run.messageId}.xml`, file);
      return storeSepaFile(sql, run.id, { zip, transactions: items.length, totalCents: items.reduce((s, i) => s + i.amountCents, 0) });
    },
  };
}
