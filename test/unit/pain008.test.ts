import { existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { isValidCreditorId } from '../../services/sepa/creditor-id.js';
import { buildPain008, PAIN008_FORMATS, SepaFileError, type SepaDebit } from '../../services/sepa/pain008.js';
import { sepaText } from '../../services/sepa/sepa-text.js';
import { validateAgainstXsd, XSD_DIR } from '../helpers/sepa-xml.js';
import { zipOne } from '../../activities/sepa-runs.js';

const dir = mkdtempSync(join(tmpdir(), 'relance-sepa-'));
const creditor = { name: 'Ma Société SAS', iban: 'FR76 3000 6000 0112 3456 7890 189', bic: 'AGRIFRPP', creditorId: 'FR72ZZZ123456' };

/** xmllint against the official schema: the verdict a bank's validator would give. */
function validate(xml: string, format: string): { ok: boolean; output: string } {
  const file = join(dir, `${format}-${Math.random().toString(36).slice(2)}.xml`);
  writeFileSync(file, xml);
  return validateAgainstXsd(file, format);
}

const debit = (n: number, over: Partial<SepaDebit> = {}): SepaDebit => ({
  endToEndId: `F-2026-${n}`, amountCents: 12_345 + n, collectionDate: '2026-12-10', sequence: 'RCUR',
  mandateId: `RUM-${n}`, mandateSignedOn: '2025-03-01', debtor: { name: `Client ${n}`, iban: 'DE89370400440532013000', bic: 'COBADEFFXXX' },
  remittance: `Facture F-2026-${n}`, ...over,
});

describe('pain.008 files', () => {
  it.each(PAIN008_FORMATS)('%s: a multi-block file validates, grouped by sequence type and date with counts and sums right', (format) => {
    const debits = [
      debit(1, { sequence: 'FRST' }), debit(2), debit(3), debit(4, { collectionDate: '2026-12-15' }),
      debit(5, { sequence: 'OOFF', debtor: { name: 'Ærøskøbing Ålborg & Søn', iban: 'DK5000400440116243', bic: 'NDEADKKK' } }),
      debit(6, { debtor: { name: 'Иванов Пётр Ильич', iban: 'FR1420041010050500013M02606', bic: 'PSSTFRPPPAR' } }),
      debit(7, { debtor: { name: '東京商事株式会社', iban: 'FR1420041010050500013M02606', bic: 'PSSTFRPPPAR' }, remittance: 'x'.repeat(300) }),
    ];
    const xml = buildPain008({ format, messageId: 'RELANCE-RUN-42', createdAt: '2026-11-24T08:00:00.000Z', creditor, debits });
    const verdict = validate(xml, format);
    expect(verdict.output).toMatch(/validates/);
    expect(verdict.ok).toBe(true);
    expect(xml.match(/<PmtInf>/g)).toHaveLength(4);
    expect(xml).toContain(`<NbOfTxs>7</NbOfTxs>`);
    expect(xml).toContain(`<CtrlSum>${((7 * 12_345 + 28) / 100).toFixed(2)}</CtrlSum>`);
    expect(xml).toContain('<Nm>Aeroskobing Alborg + Son</Nm>');
    expect(xml).toContain('<Nm>DongJingShangShiZhuShiHuiShe</Nm>');
    expect(xml).toContain("<Nm>Ivanov Petr Il'ich</Nm>");
    expect(xml).toMatch(/<Ustrd>x{140}<\/Ustrd>/);
  });

  it('accepts a debtor without BIC where the format allows it, and says which field when it does not', () => {
    const noBic = debit(1, { debtor: { name: 'Sans BIC', iban: 'FR1420041010050500013M02606', bic: null } });
    for (const format of ['pain.008.001.02', 'pain.008.003.02'] as const) {
      const xml = buildPain008({ format, messageId: 'M1', createdAt: '2026-11-24T08:00:00Z', creditor, debits: [noBic] });
      expect(xml).toContain('<Id>NOTPROVIDED</Id>');
      expect(validate(xml, format).ok).toBe(true);
    }
    expect(() => buildPain008({ format: 'pain.008.002.02', messageId: 'M1', createdAt: '2026-11-24T08:00:00Z', creditor, debits: [noBic] })).toThrow(
      new SepaFileError('debits[0].debtor.bic', 'required by pain.008.002.02 (Sans BIC)'),
    );
    expect(() => buildPain008({ format: 'pain.008.001.02', messageId: 'M1', createdAt: '2026-11-24T08:00:00Z', creditor, debits: [] })).toThrow(/debits: the file would collect nothing/);
  });

  it('keeps the longest texts within their limits', () => {
    const long = debit(1, { endToEndId: 'E'.repeat(60), mandateId: 'M'.repeat(60), debtor: { name: 'N'.repeat(100), iban: 'DE89370400440532013000', bic: 'COBADEFFXXX' } });
    const xml = buildPain008({ format: 'pain.008.002.02', messageId: 'X'.repeat(50), createdAt: '2026-11-24T08:00:00Z', creditor: { ...creditor, name: 'C'.repeat(90) }, debits: [long] });
    expect(validate(xml, 'pain.008.002.02').ok).toBe(true);
    expect(xml).toContain(`<EndToEndId>${'E'.repeat(35)}</EndToEndId>`);
    expect(xml).toContain(`<Nm>${'N'.repeat(70)}</Nm>`);
  });
});

it('checks against schemas byte-identical to the shared official ones', () => {
  const shared = '../shared/sepa/xsd';
  // The shared folder sits beside the project on the machines it was written on; a clone elsewhere has the copies only.
  const files = existsSync(shared) ? readdirSync(shared) : [];
  for (const file of files) expect(readFileSync(join(XSD_DIR, file)).equals(readFileSync(join(shared, file))), file).toBe(true);
  expect(readdirSync(XSD_DIR).filter((f) => f.endsWith('.xsd')).sort()).toEqual(PAIN008_FORMATS.map((f) => `${f}.xsd`));
});

describe('SEPA texts and identifiers', () => {
  it('transliterates to the SEPA character set', () => {
    expect(sepaText('Société Générale & Fils — Łódź', 70)).toBe('Societe Generale + Fils - Lodz');
    expect(sepaText('Straße <Nr. 5> "B"', 70)).toBe('Strasse Nr. 5 B');
    expect(sepaText('Café 😀 Ünal 👍🏽 🇫🇷 1️⃣ 👨‍👩‍👧 Marque™ ©2026', 70)).toBe('Cafe Unal 1 MarqueTM (C)2026');
  });

  it('checks creditor identifiers with their mod-97 digits', () => {
    expect(isValidCreditorId('DE98ZZZ09999999999')).toBe(true);
    expect(isValidCreditorId('FR72ZZZ123456')).toBe(true);
    expect(isValidCreditorId('FR73ZZZ123456')).toBe(false);
    expect(isValidCreditorId('FR72ZZZ')).toBe(false);
  });
});

it('fails the zip, not the process, when its content throws halfway through', async () => {
  function* content(): Generator<string> {
    yield '<Document>';
    throw new Error('a bad record deep in the file');
  }
  await expect(zipOne('broken.xml', content())).rejects.toThrow('a bad record deep in the file');
  // The same call still works afterwards: nothing was left broken.
  expect((await zipOne('fine.xml', ['<ok/>'])).byteLength).toBeGreaterThan(0);
});
