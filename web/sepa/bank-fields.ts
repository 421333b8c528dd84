import { electronicFormatIBAN, isValidBIC, isValidIBAN } from 'ibantools';
import { z } from 'zod';
import { isValidCreditorId } from '../../services/sepa/creditor-id.js';
import { isIsoDate } from '../../workflows/schedule/calendar-date.js';

/** An IBAN as typed (spaces, lower case) stored in its electronic form, checked by ibantools. */
export const ibanField = z
  .string()
  .transform((v) => electronicFormatIBAN(v) ?? '')
  .refine((v) => isValidIBAN(v), 'not a valid IBAN (country, check digits and length)');

/** Optional BIC: empty means "not provided" (IBAN-only collection). */
export const bicField = z
  .string()
  .transform((v) => v.replace(/\s+/g, '').toUpperCase() || null)
  .refine((v) => v === null || isValidBIC(v), 'not a valid BIC (8 or 11 characters)');

export const creditorIdField = z
  .string()
  .transform((v) => v.replace(/\s+/g, '').toUpperCase())
  .refine(isValidCreditorId, 'not a valid SEPA creditor identifier (ICS), e.g. FR72ZZZ123456');

export const mandateForm = z.object({
  iban: ibanField,
  bic: bicField,
  holder: z.string().trim().min(1, 'required').max(70, 'at most 70 characters'),
  bankName: z.string().trim().max(70),
  reference: z.string().trim().regex(/^[A-Za-z0-9+?/:().,'-]{1,35}$/, 'letters, digits and + ? / : ( ) . , \' - only, 35 at most'),
  signedOn: z.string().refine(isIsoDate, 'a date YYYY-MM-DD'),
  signedPlace: z.string().trim().max(70),
  sequence: z.enum(['FRST', 'RCUR', 'OOFF', 'FNAL'], 'FRST, RCUR, OOFF or FNAL'),
});
