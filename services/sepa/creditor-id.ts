/**
 * A SEPA creditor identifier (ICS in France): country, two check digits, a three-character
 * business code the check ignores, then the national identifier. The check is ISO 7064 mod 97-10
 * over national identifier + country + "00", letters counted A = 10 … Z = 35.
 */
export function isValidCreditorId(value: string): boolean {
  const id = value.replace(/\s+/g, '').toUpperCase();
  const match = /^([A-Z]{2})(\d{2})[A-Z0-9]{3}([A-Z0-9]{1,28})$/.exec(id);
  if (!match) return false;
  const [, country, check, national] = match;
  const digits = `${national}${country}00`.replace(/[A-Z]/g, (c) => String(c.charCodeAt(0) - 55));
  let remainder = 0;
  for (const d of digits) remainder = (remainder * 10 + Number(d)) % 97;
  return 98 - remainder === Number(check);
}
