import { randomBytes } from 'node:crypto';
import type { Sql } from '../../db/client.js';
import { upsertCustomer, type CustomerInput } from '../../db/queries/customers.js';
import { upsertInvoice } from '../../db/queries/invoices.js';

const uid = () => randomBytes(4).toString('hex');

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
