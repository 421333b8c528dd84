import type { ISql } from '../client.js';
import type { PaymentTermsRule } from '../../workflows/schedule/payment-terms.js';

export interface PaymentTerms {
  id: number;
  name: string;
  rule: PaymentTermsRule;
}

export async function listPaymentTerms(sql: ISql): Promise<(PaymentTerms & { customers: number })[]> {
  return sql<(PaymentTerms & { customers: number })[]>`
    select t.id, t.name, t.rule, (select count(*)::int from customers c where c.payment_terms_id = t.id) as customers
    from payment_terms t order by t.name`;
}

/** Terms by id, for the customers' defaults of a batch of invoices. */
export async function paymentTermsByIds(sql: ISql, ids: readonly number[]): Promise<Map<number, PaymentTerms>> {
  const rows = await sql<PaymentTerms[]>`select id, name, rule from payment_terms where id = any(${ids as number[]}::bigint[])`;
  return new Map(rows.map((t) => [t.id, t]));
}

/** Terms by their exact names, as an import or the API gives them. */
export async function paymentTermsByNames(sql: ISql, names: readonly string[]): Promise<Map<string, PaymentTerms>> {
  const rows = await sql<PaymentTerms[]>`select id, name, rule from payment_terms where name = any(${names as string[]}::text[])`;
  return new Map(rows.map((t) => [t.name, t]));
}

/** Adds named terms; false when the name is taken. */
export async function createPaymentTerms(sql: ISql, t: { name: string; rule: PaymentTermsRule }): Promise<boolean> {
  const rows = await sql`insert into payment_terms (name, rule) values (${t.name}, ${sql.json(t.rule as never)}) on conflict (name) do nothing returning id`;
  return rows.length === 1;
}

/** Removes terms: customers that had them as default no longer have one; invoices keep their dates. */
export async function deletePaymentTerms(sql: ISql, id: number): Promise<PaymentTerms | undefined> {
  const [row] = await sql<PaymentTerms[]>`delete from payment_terms where id = ${id} returning id, name, rule`;
  return row;
}

export async function setCustomerPaymentTerms(sql: ISql, customerId: number, termsId: number | null): Promise<void> {
  await sql`update customers set payment_terms_id = ${termsId} where id = ${customerId}`;
}
