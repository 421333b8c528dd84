import { create } from 'xmlbuilder2';
import { sepaId, sepaText } from './sepa-text.js';

export const PAIN008_FORMATS = ['pain.008.001.02', 'pain.008.002.02', 'pain.008.003.02'] as const;
export type Pain008Format = (typeof PAIN008_FORMATS)[number];
export type SequenceType = 'FRST' | 'RCUR' | 'OOFF' | 'FNAL';

export interface SepaCreditor {
  name: string;
  iban: string;
  bic: string | null;
  /** The creditor identifier (ICS). */
  creditorId: string;
}

export interface SepaDebit {
  endToEndId: string;
  amountCents: number;
  collectionDate: string;
  sequence: SequenceType;
  mandateId: string;
  mandateSignedOn: string;
  debtor: { name: string; iban: string; bic: string | null };
  remittance: string;
}

export interface Pain008Input {
  format: Pain008Format;
  messageId: string;
  /** An ISO 8601 instant (the workflow's or the caller's clock): the file's creation time. */
  createdAt: string;
  creditor: SepaCreditor;
  debits: readonly SepaDebit[];
  /** CORE for consumers and most businesses; B2B when the debtors signed B2B mandates. */
  localInstrument?: 'CORE' | 'B2B';
}

export class SepaFileError extends Error {
  constructor(readonly field: string, message: string) {
    super(`${field}: ${message}`);
    this.name = 'SepaFileError';
  }
}

const amount = (cents: number) => (cents / 100).toFixed(2);
const sum = (debits: readonly SepaDebit[]) => debits.reduce((total, d) => total + d.amountCents, 0);

/**
 * A customer-to-bank direct-debit file: one payment-information block per sequence type and
 * collection date, counts and control sums computed, every text transliterated to the SEPA set and
 * cut to its length. The DK formats need the agents' BIC (.002.02) or accept "NOTPROVIDED" (.003.02).
 */
export function buildPain008(input: Pain008Input): string {
  const { format, creditor, debits } = input;
  if (debits.length === 0) throw new SepaFileError('debits', 'the file would collect nothing');
  for (const [i, d] of debits.entries()) {
    if (!Number.isInteger(d.amountCents) || d.amountCents < 1 || d.amountCents > 99_999_999_999) {
      throw new SepaFileError(`debits[${i}].amountCents`, 'between 0.01 and 999,999,999.99 EUR');
    }
    if (format === 'pain.008.002.02' && !d.debtor.bic) throw new SepaFileError(`debits[${i}].debtor.bic`, 'required by pain.008.002.02');
  }
  if (format === 'pain.008.002.02' && !creditor.bic) throw new SepaFileError('creditor.bic', 'required by pain.008.002.02');

  const groups = new Map<string, SepaDebit[]>();
  for (const d of debits) {
    const key = `${d.sequence} ${d.collectionDate}`;
    groups.set(key, [...(groups.get(key) ?? []), d]);
  }

  const doc = create({ version: '1.0', encoding: 'UTF-8' })
    .ele(`urn:iso:std:iso:20022:tech:xsd:${format}`, 'Document')
    .att('http://www.w3.org/2000/xmlns/', 'xmlns:xsi', 'http://www.w3.org/2001/XMLSchema-instance');
  const root = doc.ele('CstmrDrctDbtInitn');
  const header = root.ele('GrpHdr');
  header.ele('MsgId').txt(sepaId(input.messageId));
  header.ele('CreDtTm').txt(input.createdAt.replace(/\.\d+Z$/, 'Z').replace(/Z$/, ''));
  header.ele('NbOfTxs').txt(String(debits.length));
  header.ele('CtrlSum').txt(amount(sum(debits)));
  header.ele('InitgPty').ele('Nm').txt(sepaText(creditor.name, 70));

  let block = 0;
  for (const [key, group] of groups) {
    const [sequence, date] = key.split(' ') as [SequenceType, string];
    const info = root.ele('PmtInf');
    info.ele('PmtInfId').txt(sepaId(`${input.messageId}-${++block}`));
    info.ele('PmtMtd').txt('DD');
    info.ele('NbOfTxs').txt(String(group.length));
    info.ele('CtrlSum').txt(amount(sum(group)));
    const type = info.ele('PmtTpInf');
    type.ele('SvcLvl').ele('Cd').txt('SEPA');
    type.ele('LclInstrm').ele('Cd').txt(input.localInstrument ?? 'CORE');
    type.ele('SeqTp').txt(sequence);
    info.ele('ReqdColltnDt').txt(date);
    info.ele('Cdtr').ele('Nm').txt(sepaText(creditor.name, 70));
    info.ele('CdtrAcct').ele('Id').ele('IBAN').txt(creditor.iban.replace(/\s+/g, ''));
    agent(info.ele('CdtrAgt'), creditor.bic);
    info.ele('ChrgBr').txt('SLEV');
    const scheme = info.ele('CdtrSchmeId').ele('Id').ele('PrvtId').ele('Othr');
    scheme.ele('Id').txt(creditor.creditorId.replace(/\s+/g, ''));
    scheme.ele('SchmeNm').ele('Prtry').txt('SEPA');

    for (const d of group) {
      const tx = info.ele('DrctDbtTxInf');
      tx.ele('PmtId').ele('EndToEndId').txt(sepaId(d.endToEndId));
      tx.ele('InstdAmt').att('Ccy', 'EUR').txt(amount(d.amountCents));
      const mandate = tx.ele('DrctDbtTx').ele('MndtRltdInf');
      mandate.ele('MndtId').txt(sepaId(d.mandateId));
      mandate.ele('DtOfSgntr').txt(d.mandateSignedOn);
      agent(tx.ele('DbtrAgt'), d.debtor.bic);
      tx.ele('Dbtr').ele('Nm').txt(sepaText(d.debtor.name, 70));
      tx.ele('DbtrAcct').ele('Id').ele('IBAN').txt(d.debtor.iban.replace(/\s+/g, ''));
      tx.ele('RmtInf').ele('Ustrd').txt(sepaText(d.remittance, 140));
    }
  }
  return doc.end({ prettyPrint: true });
}

/** A bank by its BIC, or "not provided" where the format allows IBAN-only collections. */
function agent(parent: ReturnType<ReturnType<typeof create>['ele']>, bic: string | null): void {
  const institution = parent.ele('FinInstnId');
  if (bic) institution.ele('BIC').txt(bic.replace(/\s+/g, '').toUpperCase());
  else institution.ele('Othr').ele('Id').txt('NOTPROVIDED');
}
