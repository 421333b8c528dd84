import { randomBytes } from 'node:crypto';
import type { Sql } from '../../db/client.js';
import { upsertCustomer, type CustomerInput } from '../../db/queries/customers.js';
import { upsertInvoice } from '../../db/queries/invoices.js';

const uid = () => randomBytes(4).toString('hex');

/**
 * Days past due at which an invoice entering late has surely reached a level of the default steps
 * and surely not the next, whatever the weekday, hour or holiday: the steps are 0, 15, 15 and 15
 * days apart and each date moves up to three days to a business day. Three days late, a Christmas
 * or an Easter Monday put level 1 on today, not yet reached at an early hour.
 */
export const LATE_FOR = { 1: 8, 2: 26, 3: 44 } as const;

export async function makeCustomer(sql: Sql, overrides: Partial<CustomerInput> = {}): Promise<number> {
  const { id } = await upsertCustomer(sql, {
    ref: `C-${uid()}`,
    name: 'Atelier Dupont SARL',
    emails: ['compta@dupont.example'],
    addressLine1: '12 rue des Lilas',
    addressLine2: '',
    postalCode: '69003',
    city: 'Lyon',
    country: 'FR',
    language: 'fr',
    ...overrides,
  });
  return id;
}

export async function makeInvoice(
  sql: Sql,
  customerId: number,
  v: { dueDate: string; totalCents?: number; issueDate?: string; number?: string },
): Promise<{ id: number; number: string }> {
  const number = v.number ?? `F-${uid()}`;
  const { id } = await upsertInvoice(sql, {
    number,
    customerId,
    issueDate: v.issueDate ?? v.dueDate,
    dueDate: v.dueDate,
    currency: 'EUR',
    totalCents: v.totalCents ?? 120_000,
    status: 'open',
    installments: [],
  });
  return { id, number };
}
