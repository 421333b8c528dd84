import type { ISql } from '../client.js';

export interface CompanySettings {
  companyName: string;
  companyAddress: string;
  companyEmail: string;
  companyPhone: string;
  /** « SAS », « SARL »…: with the capital, SIRET, RCS and VAT number, what every letter must show. */
  companyLegalForm: string;
  /** As written, e.g. « 10 000 € ». */
  companyCapital: string;
  /** 14 digits, or empty. */
  companySiret: string;
  /** The city of its RCS registration. */
  companyRcs: string;
  /** Intra-community VAT number, e.g. FR12345678901, or empty. */
  companyVat: string;
  mailFrom: string | null;
  timezone: string;
  sendHour: number;
  country: string;
  dueSoonDays: number;
  minimumBalanceCents: number;
  /** When the daily review pass lists the day's reminders (before the send hour). */
  reviewHour: number;
  /** Days a pay link stays valid after the reminder that carried it. */
  payLinkDays: number;
}

export async function getSettings(sql: ISql): Promise<CompanySettings> {
  const [row] = await sql<CompanySettings[]>`
    select company_name as "companyName", company_address as "companyAddress", company_email as "companyEmail",
           company_phone as "companyPhone", company_legal_form as "companyLegalForm", company_capital as "companyCapital",
           company_siret as "companySiret", company_rcs as "companyRcs", company_vat as "companyVat", mail_from as "mailFrom", timezone, send_hour as "sendHour",
           country, due_soon_days as "dueSoonDays", minimum_balance_cents as "minimumBalanceCents", review_hour as "reviewHour",
           pay_link_days as "payLinkDays"
    from settings where id = 1`;
  if (!row) throw new Error('The settings row is missing: run the migrations');
  return row;
}

export async function updateSettings(sql: ISql, v: CompanySettings): Promise<void> {
  await sql`update settings set company_name = ${v.companyName}, company_address = ${v.companyAddress},
    company_email = ${v.companyEmail}, company_phone = ${v.companyPhone}, company_legal_form = ${v.companyLegalForm},
    company_capital = ${v.companyCapital}, company_siret = ${v.companySiret}, company_rcs = ${v.companyRcs}, company_vat = ${v.companyVat}, mail_from = ${v.mailFrom},
    timezone = ${v.timezone}, send_hour = ${v.sendHour}, country = ${v.country}, due_soon_days = ${v.dueSoonDays},
    minimum_balance_cents = ${v.minimumBalanceCents}, review_hour = ${v.reviewHour},
    pay_link_days = ${v.payLinkDays}, updated_at = now() where id = 1`;
}

export interface SepaCreditorSettings {
  name: string;
  creditorId: string;
  iban: string;
  bic: string | null;
  /** Business days between the file and the earliest collection date. */
  leadDays: number;
}

export async function getSepaCreditor(sql: ISql): Promise<SepaCreditorSettings> {
  const [row] = await sql<SepaCreditorSettings[]>`
    select sepa_creditor_name as name, sepa_creditor_id as "creditorId", sepa_iban as iban, sepa_bic as bic, sepa_lead_days as "leadDays"
    from settings where id = 1`;
  return row!;
}

export async function saveSepaCreditor(sql: ISql, v: SepaCreditorSettings): Promise<void> {
  await sql`update settings set sepa_creditor_name = ${v.name}, sepa_creditor_id = ${v.creditorId}, sepa_iban = ${v.iban},
    sepa_bic = ${v.bic}, sepa_lead_days = ${v.leadDays}, updated_at = now() where id = 1`;
}

/** A secret made on first start with the defaults; missing only on a database Relance never started on. */
export async function startupSecret(sql: ISql, column: 'pay_link_secret' | 'device_cookie_secret'): Promise<string> {
  const [row] = await sql<{ secret: string | null }[]>`select ${sql(column)} as secret from settings where id = 1`;
  if (!row?.secret) throw new Error(`The ${column.replaceAll('_', ' ')} is missing: run the migrations and start Relance once`);
  return row.secret;
}

/** The secret device cookies (trusted browsers at sign-in) are signed with. */
export const deviceCookieSecret = (sql: ISql) => startupSecret(sql, 'device_cookie_secret');
