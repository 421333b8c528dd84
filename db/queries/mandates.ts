import type { ISql } from '../client.js';

export type Sequence = 'FRST' | 'RCUR' | 'OOFF' | 'FNAL';

export interface Mandate {
  customerId: number;
  iban: string;
  bic: string | null;
  holder: string;
  bankName: string;
  reference: string;
  /** Null when the mandate came on an invoice, which does not carry its signature date: no collection uses it until it is given. */
  signedOn: string | null;
  signedPlace: string;
  sequence: Sequence;
}

const columns = (sql: ISql) => sql`customer_id as "customerId", iban, bic, holder, bank_name as "bankName", reference,
  signed_on as "signedOn", signed_place as "signedPlace", sequence`;

export async function mandateOf(sql: ISql, customerId: number): Promise<Mandate | undefined> {
  const [row] = await sql<Mandate[]>`select ${columns(sql)} from mandates where customer_id = ${customerId}`;
  return row;
}

/**
 * Saves a customer's account and mandate; `taken` when another customer already holds the reference.
 * A new IBAN ends the customer's Stripe registration, whose payment method debits the old account.
 */
export async function saveMandate(sql: ISql, m: Mandate): Promise<'saved' | 'taken'> {
  const [other] = await sql`select 1 from mandates where reference = ${m.reference} and customer_id <> ${m.customerId}`;
  if (other) return 'taken';
  await sql`insert into mandates (customer_id, iban, bic, holder, bank_name, reference, signed_on, signed_place, sequence)
    values (${m.customerId}, ${m.iban}, ${m.bic}, ${m.holder}, ${m.bankName}, ${m.reference}, ${m.signedOn}, ${m.signedPlace}, ${m.sequence})
    on conflict (customer_id) do update set iban = excluded.iban, bic = excluded.bic, holder = excluded.holder, bank_name = excluded.bank_name,
      reference = excluded.reference, signed_on = excluded.signed_on, signed_place = excluded.signed_place, sequence = excluded.sequence, updated_at = now()`;
  await sql`delete from stripe_customers where customer_id = ${m.customerId} and iban <> ${m.iban}`;
  return 'saved';
}
