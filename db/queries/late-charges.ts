import type { ISql, Sql } from '../client.js';
import { lateCharges, type InterestRule, type LateCharges, type LateChargesInput, type ReferenceRate } from '../../workflows/schedule/late-charges.js';
import { insertEvent } from './events.js';
import { installmentsJson, type InvoiceFactsRow } from './invoices.js';

export interface ChargesPolicy {
  rule: InterestRule;
  indemnity: boolean;
  /** The days a formal notice gives the customer to pay. */
  noticeDays: number;
}

/** French practice, when a policy says nothing else: eight days to pay after a formal notice. */
export const DEFAULT_NOTICE_DAYS = 8;

export async function chargesPolicyOf(sql: ISql, policyId: number): Promise<ChargesPolicy> {
  const [row] = await sql<{ kind: InterestRule['kind']; bp: number; indemnity: boolean; noticeDays: number }[]>`
    select interest_rule as kind, interest_bp as bp, recovery_indemnity as indemnity, notice_days as "noticeDays" from policies where id = ${policyId}`;
  if (!row) return { rule: { kind: 'none' }, indemnity: false, noticeDays: DEFAULT_NOTICE_DAYS };
  const rule: InterestRule = row.kind === 'fixed' ? { kind: 'fixed', rateBp: row.bp } : row.kind === 'reference' ? { kind: 'reference', plusBp: row.bp } : { kind: 'none' };
  return { rule, indemnity: row.indemnity, noticeDays: row.noticeDays };
}

export async function saveChargesPolicy(sql: ISql, policyId: number, p: { kind: InterestRule['kind']; bp: number; indemnity: boolean; noticeDays: number }): Promise<void> {
  await sql`update policies set interest_rule = ${p.kind}, interest_bp = ${p.bp}, recovery_indemnity = ${p.indemnity}, notice_days = ${p.noticeDays} where id = ${policyId}`;
}

export async function referenceRates(sql: ISql): Promise<ReferenceRate[]> {
  return sql<ReferenceRate[]>`select valid_from as "validFrom", rate_bp as "rateBp" from reference_rates order by valid_from desc`;
}

export async function saveReferenceRate(sql: ISql, r: ReferenceRate): Promise<void> {
  await sql`insert into reference_rates (valid_from, rate_bp) values (${r.validFrom}, ${r.rateBp})
    on conflict (valid_from) do update set rate_bp = excluded.rate_bp`;
}

export interface InvoiceCharges extends LateCharges {
  invoiceId: number;
  currency: string;
  asOf: string;
  /** The policy charges nothing: no interest rule and no indemnity. */
  none: boolean;
  /** The days the policy's formal notice gives to pay. */
  noticeDays: number;
}

/** What an invoice's late charges are computed on: the invoice and its payments. */
export type ChargedInvoice = Pick<InvoiceFactsRow, 'id' | 'totalCents' | 'currency' | 'dueDate' | 'installments' | 'isBusiness' | 'policyId'> & {
  payments: LateChargesInput['payments'];
};

/**
 * The late charges an invoice has accrued by `asOf` under its customer's policy; given the
 * invoice's facts and payments read a moment ago, it does not read them again.
 */
export async function lateChargesOf(
  sql: ISql,
  invoice: number | ChargedInvoice,
  asOf: string,
  // A worker passes the policy and rates it keeps across reminders.
  configuration: { chargesPolicyOf(policyId: number): Promise<ChargesPolicy>; referenceRates(): Promise<ReferenceRate[]> } = { chargesPolicyOf: (id) => chargesPolicyOf(sql, id), referenceRates: () => referenceRates(sql) },
): Promise<InvoiceCharges | undefined> {
  const [inv] = typeof invoice === 'number' ? await sql<ChargedInvoice[]>`
    select i.id, i.total_cents as "totalCents", i.currency, i.due_date as "dueDate", ${installmentsJson(sql)} as installments,
           c.is_business as "isBusiness", coalesce(c.policy_id, (select id from policies where is_default)) as "policyId",
           (select coalesce(json_agg(json_build_object('paidOn', p.paid_on, 'amountCents', p.amount_cents)), '[]') from payments p where p.invoice_id = i.id) as payments
    from invoices i join customers c on c.id = i.customer_id where i.id = ${invoice}` : [invoice];
  // An invoice paid in installments runs late from its last one.
  const dueDate = inv && (inv.dueDate ?? inv.installments.map((s) => s.dueDate).sort().at(-1) ?? null);
  if (!inv || !dueDate) return undefined;
  const [policy, rates] = await Promise.all([
    inv.policyId ? configuration.chargesPolicyOf(inv.policyId) : { rule: { kind: 'none' } as InterestRule, indemnity: false, noticeDays: DEFAULT_NOTICE_DAYS },
    configuration.referenceRates(),
  ]);
  const charges = lateCharges({
    dueDate, totalCents: inv.totalCents, installments: inv.installments, payments: inv.payments, asOf, rule: policy.rule, referenceRates: rates,
    // The 40 EUR indemnity is a euro amount, owed by businesses only.
    indemnity: policy.indemnity && inv.isBusiness && inv.currency === 'EUR',
  });
  return { ...charges, invoiceId: inv.id, currency: inv.currency, asOf, none: policy.rule.kind === 'none' && !policy.indemnity, noticeDays: policy.noticeDays };
}

export interface LateChargeNote {
  id: number;
  asOf: string;
  interestCents: number;
  indemnityCents: number;
  rateBp: number | null;
  currency: string;
  filename: string;
  issuedBy: string;
  issuedAt: Date;
}

const noteColumns = (sql: ISql) => sql`id, as_of as "asOf", interest_cents as "interestCents", indemnity_cents as "indemnityCents", rate_bp as "rateBp",
  currency, filename, issued_by as "issuedBy", issued_at as "issuedAt"`;

export async function notesOfInvoice(sql: Sql, invoiceId: number): Promise<LateChargeNote[]> {
  return sql<LateChargeNote[]>`select ${noteColumns(sql)} from late_charge_notes where invoice_id = ${invoiceId} order by id desc`;
}

export async function noteOnDay(sql: ISql, invoiceId: number, asOf: string): Promise<LateChargeNote | undefined> {
  const [row] = await sql<LateChargeNote[]>`select ${noteColumns(sql)} from late_charge_notes where invoice_id = ${invoiceId} and as_of = ${asOf}`;
  return row;
}

export async function noteFile(sql: Sql, id: number): Promise<{ filename: string; content: Uint8Array } | undefined> {
  const [row] = await sql<{ filename: string; content: Uint8Array }[]>`select filename, content from late_charge_notes where id = ${id}`;
  return row;
}

/** Keeps the note and writes it on the timeline, once per invoice and day. */
export async function saveNote(
  sql: Sql,
  n: { charges: InvoiceCharges; filename: string; content: Uint8Array; pages: number; actor: string },
): Promise<LateChargeNote> {
  return sql.begin(async (tx) => {
    const c = n.charges;
    const [row] = await tx<LateChargeNote[]>`
      insert into late_charge_notes (invoice_id, as_of, interest_cents, indemnity_cents, rate_bp, currency, filename, content, pages, issued_by)
      values (${c.invoiceId}, ${c.asOf}, ${c.interestCents}, ${c.indemnityCents}, ${c.rateBp}, ${c.currency}, ${n.filename}, ${Buffer.from(n.content)}, ${n.pages}, ${n.actor})
      on conflict (invoice_id, as_of) do nothing returning ${noteColumns(tx)}`;
    if (!row) return (await noteOnDay(tx, c.invoiceId, c.asOf))!;
    await insertEvent(tx, {
      invoiceId: c.invoiceId, kind: 'late_charges_issued', actor: n.actor, dedupeKey: `late-charges-${row.id}`,
      params: { asOf: c.asOf, interestCents: c.interestCents, indemnityCents: c.indemnityCents, currency: c.currency },
    });
    return row;
  });
}
