import anyAscii from 'any-ascii';

// The SEPA character set (EPC guidance): Latin letters, digits and / - ? : ( ) . , ' + and space.
const OUTSIDE_SEPA = /[^A-Za-z0-9/\-?:().,'+ ]/g;

/**
 * A text as banks accept it: transliterated to Latin (Ærø → Aero, Иванов → Ivanov, 東京 → DongJing),
 * what is still outside the SEPA set replaced by a space, and cut to `max` characters.
 */
export function sepaText(text: string, max: number): string {
  const latin = anyAscii(text.normalize('NFC')).replace(/&/g, '+').replace(OUTSIDE_SEPA, ' ').replace(/\s+/g, ' ').trim();
  return latin.slice(0, max).trim();
}

/** An identifier (message, payment block, end-to-end, mandate): the SEPA set without spaces, 35 at most. */
export function sepaId(text: string): string {
  return sepaText(text, 35).replace(/ /g, '-');
}
