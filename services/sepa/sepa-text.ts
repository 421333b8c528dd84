import anyAscii from 'any-ascii';

// The SEPA character set (EPC guidance): Latin letters, digits and / - ? : ( ) . , ' + and space.
const OUTSIDE_SEPA = /[^A-Za-z0-9/\-?:().,'+ ]/g;
// Emoji (with their skin tones, joiners, flags and keycaps) have no Latin spelling a bank should
// print: any-ascii would write ":grinning:". ©, ® and ™ keep theirs: (C), (R), TM.
const EMOJI = /(?![©®™])\p{Extended_Pictographic}|\p{Emoji_Modifier}|\p{Regional_Indicator}|[\u200d\ufe0f\u20e3]/gu;

/**
 * A text as banks accept it: emoji dropped, the rest transliterated to Latin (Ærø → Aero, Иванов →
 * Ivanov, 東京 → DongJing), what is still outside the SEPA set replaced by a space, and cut to `max`
 * characters.
 */
export function sepaText(text: string, max: number): string {
  const latin = anyAscii(text.normalize('NFC').replace(EMOJI, ' ')).replace(/&/g, '+').replace(OUTSIDE_SEPA, ' ').replace(/\s+/g, ' ').trim();
  return latin.slice(0, max).trim();
}

/** An identifier (message, payment block, end-to-end, mandate): the SEPA set without spaces, 35 at most. */
export function sepaId(text: string): string {
  return sepaText(text, 35).replace(/ /g, '-');
}
