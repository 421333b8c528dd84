/**
 * The structured creditor reference (ISO 11649, "RF" and two check digits) a customer writes on a
 * transfer so that it is matched to the invoice: `RF69F20260042` for invoice F-2026/0042. Letters
 * and digits of the invoice number only, 21 at most.
 */
export function creditorReference(invoiceNumber: string): string {
  const reference = invoiceNumber.toUpperCase().replace(/[^0-9A-Z]/g, '').slice(0, 21);
  const digits = [...`${reference}RF00`].map((ch) => (/\d/.test(ch) ? ch : String(ch.charCodeAt(0) - 55))).join('');
  const check = 98 - Number(BigInt(digits) % 97n);
  return `RF${String(check).padStart(2, '0')}${reference}`;
}
