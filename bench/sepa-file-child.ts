// One side of the pain.008 benchmark, in a process of its own so its peak memory is its own:
// `tsx bench/sepa-file-child.ts relance|sepa N out.xml` prints {seconds, bytes, zipBytes, maxRssMb}.
import { createWriteStream } from 'node:fs';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import SEPA from 'sepa';
import { zipOne } from '../activities/sepa-runs.js';
import { pain008Chunks, type SepaDebit } from '../services/sepa/pain008.js';

const [library, count, out] = [process.argv[2], Number(process.argv[3]), process.argv[4]!];
const creditor = { name: 'Ma Société SAS', iban: 'FR7630006000011234567890189', bic: 'AGRIFRPP', creditorId: 'FR72ZZZ123456' };
const debit = (n: number): SepaDebit => ({
  endToEndId: `F-2026-${n}`, amountCents: 1_000 + (n % 90_000), collectionDate: '2026-12-10', sequence: n % 10 === 0 ? 'FRST' : 'RCUR',
  mandateId: `RUM-${n}`, mandateSignedOn: '2025-03-01', debtor: { name: `Client ${n} SARL`, iban: 'DE89370400440532013000', bic: 'COBADEFFXXX' },
  remittance: `Facture F-2026-${n}`,
});

function withSepaPackage(debits: SepaDebit[]): string {
  const doc = new SEPA.Document('pain.008.001.02');
  doc.grpHdr.id = 'BENCH-100K';
  doc.grpHdr.created = new Date('2026-11-24T08:00:00Z');
  doc.grpHdr.initiatorName = creditor.name;
  const blocks = new Map<string, ReturnType<typeof doc.createPaymentInfo>>();
  for (const d of debits) {
    let info = blocks.get(d.sequence);
    if (!info) {
      info = doc.createPaymentInfo();
      info.collectionDate = new Date(d.collectionDate);
      info.creditorIBAN = creditor.iban;
      info.creditorBIC = creditor.bic;
      info.creditorName = creditor.name;
      info.creditorId = creditor.creditorId;
      info.sequenceType = d.sequence;
      doc.addPaymentInfo(info);
      blocks.set(d.sequence, info);
    }
    const tx = info.createTransaction();
    tx.debtorName = d.debtor.name;
    tx.debtorIBAN = d.debtor.iban;
    tx.debtorBIC = d.debtor.bic!;
    tx.mandateId = d.mandateId;
    tx.mandateSignatureDate = new Date(d.mandateSignedOn);
    tx.amount = d.amountCents / 100;
    tx.remittanceInfo = d.remittance;
    tx.end2endId = d.endToEndId;
    info.addTransaction(tx);
  }
  return doc.toString();
}

const debits = Array.from({ length: count }, (_, i) => debit(i + 1));
const input = { format: 'pain.008.001.02', messageId: 'BENCH-100K', createdAt: '2026-11-24T08:00:00Z', creditor, debits } as const;
const chunks = () => (library === 'sepa' ? [withSepaPackage(debits)] : pain008Chunks(input));
const started = performance.now();
const zipBytes = (await zipOne('file.xml', chunks())).length;
const seconds = (performance.now() - started) / 1000;
const maxRssMb = process.resourceUsage().maxRSS / 1024;
// Written again, outside the timing, for xmllint.
let bytes = 0;
await pipeline(Readable.from(chunks()).map((c: string) => ((bytes += Buffer.byteLength(c)), c)), createWriteStream(out));
console.log(JSON.stringify({ seconds, bytes, zipBytes, maxRssMb }));
