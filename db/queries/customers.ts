import type { InvoiceStatus } from './invoices.js';
import type { ReminderStatus } from './reminders.js';
import type { ISql } from '../client.js';

export interface CustomerInput {
  ref: string;
  name: string;
  emails: string[];
  addressLine1: string;
  addressLine2: string;
  postalCode: string;
  city: string;
  country: string;
  language: 'fr' | 'en';
}

export interface Customer extends CustomerInput {
  id: number;
  paused: boolean;
  pauseReason: string | null;
  dunningExcluded: boolean;
  /** Null: the default policy. */
  policyId: number | null;
  /** The 40 EUR recovery indemnity is owed by businesses only. */
  isBusiness: boolean;
  /** The payment terms of an invoice that comes without a due date; null when it must bring one. */
  paymentTermsId: number | null;
  /** The legal identity its e-invoices give, which finds the customer again on the next one. */
  siren: string | null;
  siret: string | null;
  vatNumber: string | null;
}

export async function upsertCustomer(sql: ISql, c: CustomerInput): Promise<{ id: number; created: boolean }> {
  const [row] = await sql<{ id: number; created: boolean }[]>`
    insert into customers (ref, name, emails, address_line1, address_line2, postal_code, city, country, language)
    values (${c.ref}, ${c.name}, ${c.emails}, ${c.addressLine1}, ${c.addressLine2}, ${c.postalCode}, ${c.city}, ${c.country}, ${c.language})
    on conflict (ref) do update set name = excluded.name, emails = excluded.emails,
      address_line1 = excluded.address_line1, address_line2 = excluded.address_line2, postal_code = excluded.postal_code,
      city = excluded.city, country = excluded.country, language = excluded.language, updated_at = now()
    returning id, (xmax = 0) as created`;
  return row!;
}

const columns = (sql: ISql) => sql`
  id, ref, name, emails, address_line1 as "addressLine1", address_line2 as "addressLine2", postal_code as "postalCode",
  city, country, language, paused, pause_reason as "pauseReason", dunning_excluded as "dunningExcluded",
  policy_id as "policyId", is_business as "isBusiness", payment_terms_id as "paymentTermsId", siren, siret, vat_number as "vatNumber"`;

/** A customer as a JSON object, for a larger statement that reads it with the rest. */
export const customerJson = (sql: ISql, id: number) => sql`(select row_to_json(c) from (select ${columns(sql)} from customers where id = ${id}) c)`;

export async function customerByRef(sql: ISql, ref: string): Promise<Customer | undefined> {
  const [row] = await sql<Customer[]>`select ${columns(sql)} from customers where ref = ${ref}`;
  return row;
}

export async function customerById(sql: ISql, id: number): Promise<Customer | undefined> {
  const [row] = await sql<Customer[]>`select ${columns(sql)} from customers where id = ${id}`;
  return row;
}

export async function openInvoiceIdsOfCustomer(sql: ISql, customerId: number): Promise<number[]> {
  const rows = await sql<{ id: number }[]>`select id from invoices where customer_id = ${customerId} and status = 'open'`;
  return rows.map((r) => r.id);
}

export async function setCustomerPaused(sql: ISql, customerId: number, paused: boolean, reason: string | null): Promise<void> {
  await sql`update customers set paused = ${paused}, pause_reason = ${reason}, updated_at = now() where id = ${customerId}`;
}

export interface CustomerInvoiceLine {
  id: number;
  number: string;
  dueDate: string | null;
  currency: string;
  totalCents: number;
  paidCents: number;
  status: InvoiceStatus;
  lastLevel: number;
}

export async function invoicesOfCustomer(sql: ISql, customerId: number): Promise<CustomerInvoiceLine[]> {
  return sql<CustomerInvoiceLine[]>`
    select id, number, due_date as "dueDate", currency, total_cents as "totalCents", paid_cents as "paidCents", status,
           last_level as "lastLevel"
    from invoices where customer_id = ${customerId} order by due_date desc nulls last, number`;
}

export interface CustomerReminderLine {
  id: number;
  invoiceNumber: string;
  note: string | null;
  level: number;
  stepName: string;
  performedBy: string;
  status: ReminderStatus;
  at: Date;
  nextPlannedOn: string | null;
  /** The letter's PDF, when the reminder went by post. */
  documentId: number | null;
}

/** Every reminder across the customer's invoices, paid ones included (source 003's history). */
export async function remindersOfCustomer(sql: ISql, customerId: number): Promise<CustomerReminderLine[]> {
  return sql<CustomerReminderLine[]>`
    select r.id, i.number as "invoiceNumber", r.note, r.level, r.step_name as "stepName", r.performed_by as "performedBy",
           r.status, coalesce(r.sent_at, r.created_at) as at, r.next_planned_on as "nextPlannedOn", d.id as "documentId"
    from reminders r join invoices i on i.id = r.invoice_id left join documents d on d.reminder_id = r.id
    where i.customer_id = ${customerId} order by coalesce(r.sent_at, r.created_at) desc, r.id desc`;
}

/** A buyer as an e-invoice names it: its legal identifiers, and only the contact details the invoice gives. */
export interface InvoiceBuyer {
  ref: string;
  name: string;
  siren: string | null;
  siret: string | null;
  vatNumber: string | null;
  emails: string[];
  address: { line1: string; line2: string; postalCode: string; city: string; country: string } | null;
  language: 'fr' | 'en';
}

export interface KnownBuyer {
  id: number;
  ref: string;
  siren: string | null;
  vatNumber: string | null;
  paymentTermsId: number | null;
}

/** The customers an e-invoice's buyers may be: the same SIREN, the same VAT number, or the same reference. */
export async function customersMatching(sql: ISql, keys: { sirens: string[]; vatNumbers: string[]; refs: string[] }): Promise<KnownBuyer[]> {
  return sql<KnownBuyer[]>`
    select id, ref, siren, vat_number as "vatNumber", payment_terms_id as "paymentTermsId" from customers
    where siren = any(${keys.sirens}::text[]) or vat_number = any(${keys.vatNumbers}::text[]) or ref = any(${keys.refs}::text[])`;
}

/**
 * Creates the buyer or brings it up to date from the invoice: what the invoice gives replaces what
 * was known, what it leaves out is kept, and its e-mail joins the addresses finance already has.
 */
export async function saveInvoiceBuyer(sql: ISql, b: InvoiceBuyer): Promise<number> {
  const a = b.address;
  const [row] = await sql<{ id: number }[]>`
    insert into customers (ref, name, emails, address_line1, address_line2, postal_code, city, country, language, siren, siret, vat_number)
    values (${b.ref}, ${b.name}, ${b.emails}, ${a?.line1 ?? ''}, ${a?.line2 ?? ''}, ${a?.postalCode ?? ''}, ${a?.city ?? ''}, ${a?.country ?? 'FR'},
            ${b.language}, ${b.siren}, ${b.siret}, ${b.vatNumber})
    on conflict (ref) do update set name = excluded.name,
      emails = array(select distinct e from unnest(customers.emails || excluded.emails) e),
      address_line1 = ${a ? sql`excluded.address_line1` : sql`customers.address_line1`}, address_line2 = ${a ? sql`excluded.address_line2` : sql`customers.address_line2`},
      postal_code = ${a ? sql`excluded.postal_code` : sql`customers.postal_code`}, city = ${a ? sql`excluded.city` : sql`customers.city`},
      country = ${a ? sql`excluded.country` : sql`customers.country`},
      siren = coalesce(excluded.siren, customers.siren), siret = coalesce(excluded.siret, customers.siret),
      vat_number = coalesce(excluded.vat_number, customers.vat_number), updated_at = now()
    returning id`;
  return row!.id;
}
