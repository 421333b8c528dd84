import type { Sql, TransactionSql } from '../../db/client.js';
import { upsertCustomer } from '../../db/queries/customers.js';
import { saveMandate } from '../../db/queries/mandates.js';
import { claimImport, importCancelledBy, noteWorkflowsDone, noteWorkflowsFailure, pauseUnstartedInvoices, setWorkflowsTotal, type ImportRecord } from '../../db/queries/imports.js';
import { stopRequestedCheck } from '../../services/stop-requested.js';
import { upsertInvoice } from '../../db/queries/invoices.js';
import { toInvoiceLines } from '../api/schemas.js';
import { invoiceSchedule, termsFor, type InvoiceSchedule } from '../api/invoice-schedule.js';
import { PaymentTermsError } from '../../workflows/schedule/payment-terms.js';
import { recordDocumentSent } from '../../db/queries/events.js';
import { applyPayment } from '../../db/queries/payments.js';
import type { WebDeps } from '../deps.js';
import { startOrWakeDunningSoon } from '../../services/temporal/dunning-client.js';
import { eachConcurrently } from '../../workflows/each-concurrently.js';
import type { ParsedRows, RowError } from './csv-rows.js';

type InvoiceRef = { id: number; number: string; customerRef: string };

class RowsRefused extends Error {
  constructor(readonly errors: RowError[]) {
    super('rows refused');
  }
}

/**
 * Writes every row of a checked file in one transaction, or none: a row that names a missing
 * customer or invoice refuses the whole file. Returns the invoices whose workflows must start or wake.
 */
export async function writeImport(sql: Sql, record: ImportRecord, parsed: ParsedRows, actor: string): Promise<{ ok: true; invoices: InvoiceRef[] } | { ok: false; errors: RowError[] }> {
  try {
    const invoices = await sql.begin(async (tx) => {
      if (!(await claimImport(tx, record.id))) throw new RowsRefused([{ line: 1, field: 'file', message: 'this file was already imported' }]);
      const touched = await writeRows(tx, record, parsed, actor);
      await setWorkflowsTotal(tx, record.id, touched.length);
      return touched;
    });
    return { ok: true, invoices };
  } catch (err) {
    if (err instanceof RowsRefused) return { ok: false, errors: err.errors };
    throw err;
  }
}

async function writeRows(tx: TransactionSql, record: ImportRecord, parsed: ParsedRows, actor: string): Promise<InvoiceRef[]> {
  switch (parsed.kind) {
    case 'customers': {
      const ids: number[] = [];
      const taken: RowError[] = [];
      for (const { line, value: c } of parsed.rows) {
        const { id } = await upsertCustomer(tx, {
          ref: c.ref, name: c.name, emails: c.emails, language: c.language,
          addressLine1: c.address.line1, addressLine2: c.address.line2, postalCode: c.address.postalCode, city: c.address.city, country: c.address.country,
        });
        if (c.mandate && (await saveMandate(tx, { customerId: id, ...c.mandate })) === 'taken') {
          taken.push({ line, field: 'mandate_reference', message: "already another customer's mandate" });
        }
        ids.push(id);
      }
      if (taken.length) throw new RowsRefused(taken);
      return tx<InvoiceRef[]>`select i.id, i.number, c.ref as "customerRef" from invoices i join customers c on c.id = i.customer_id
        where i.status = 'open' and c.id = any(${ids}::bigint[])`;
    }
    case 'invoices': {
      const refs = [...new Set(parsed.rows.map((r) => r.value.customerRef))];
      const customers = new Map((await tx<{ id: number; ref: string; paymentTermsId: number | null }[]>`
        select id, ref, payment_terms_id as "paymentTermsId" from customers where ref = any(${refs}::text[])`).map((c) => [c.ref, c]));
      const missing = parsed.rows.filter((r) => !customers.has(r.value.customerRef));
      if (missing.length) throw new RowsRefused(missing.map((r) => ({ line: r.line, field: 'customer_ref', message: `no customer "${r.value.customerRef}": import the customers first` })));
      const terms = await termsFor(tx, parsed.rows.map((r) => ({ body: r.value, customer: customers.get(r.value.customerRef)! })));
      const schedules = parsed.rows.map((r, n) => {
        try {
          return invoiceSchedule(r.value, terms[n]);
        } catch (err) {
          if (!(err instanceof PaymentTermsError)) throw err;
          return { line: r.line, field: err.field === 'dueDate' ? 'due_date' : 'payment_terms', message: err.message };
        }
      });
      const refused = schedules.filter((s): s is RowError => 'line' in s);
      if (refused.length) throw new RowsRefused(refused);
      const touched: InvoiceRef[] = [];
      for (const [n, { value: i }] of parsed.rows.entries()) {
        const schedule = schedules[n] as InvoiceSchedule;
        const { id, stopped } = await upsertInvoice(tx, {
          number: i.number, customerId: customers.get(i.customerRef)!.id, issueDate: i.issueDate, dueDate: schedule.dueDate,
          currency: i.currency, totalCents: i.totalCents, status: i.status, installments: schedule.installments, paymentTermsId: schedule.paymentTermsId,
          // A file without line columns leaves the lines the billing system sent by the API.
          lines: i.lines ? toInvoiceLines(i.lines) : undefined,
        });
        if (i.sentAt) await recordDocumentSent(tx, id, i.sentAt, actor);
        // An operator's stop holds until a person lifts it on the invoice's page.
        if (!stopped) touched.push({ id, number: i.number, customerRef: i.customerRef });
      }
      return touched;
    }
    case 'payments': {
      const numbers = [...new Set(parsed.rows.map((r) => r.value.invoiceNumber))];
      const found = await tx<(InvoiceRef & { currency: string })[]>`
        select i.id, i.number, c.ref as "customerRef", i.currency from invoices i join customers c on c.id = i.customer_id where i.number = any(${numbers}::text[])`;
      const byNumber = new Map(found.map((i) => [i.number, i]));
      const errors = parsed.rows.flatMap((r): RowError[] => {
        const inv = byNumber.get(r.value.invoiceNumber);
        if (!inv) return [{ line: r.line, field: 'invoice_number', message: `no invoice "${r.value.invoiceNumber}"` }];
        if (inv.currency !== r.value.currency) return [{ line: r.line, field: 'currency', message: `the invoice is in ${inv.currency}` }];
        return [];
      });
      if (errors.length) throw new RowsRefused(errors);
      for (const { line, value: p } of parsed.rows) {
        await applyPayment(tx, {
          invoiceId: byNumber.get(p.invoiceNumber)!.id, amountCents: p.amountCents, currency: p.currency, paidOn: p.paidOn, method: p.method,
          // Without the bank's id, the file and the line name the payment: importing the same file twice records it once.
          source: 'csv', externalId: p.externalId ?? `csv:${record.fileSha256.slice(0, 16)}:${line}`, actor,
        });
      }
      return [...new Map(parsed.rows.map((r) => [r.value.invoiceNumber, byNumber.get(r.value.invoiceNumber)!])).values()].map(({ id, number, customerRef }) => ({ id, number, customerRef }));
    }
  }
}

/**
 * Starts or wakes the workflows of an applied import, recording the progress the import page shows.
 * With the engine unreachable the rest is left to the repair pass, which starts them once it is back;
 * stopped by an operator, the invoices not reached yet are paused. A failure is recorded for the page.
 */
export async function startImportedWorkflows(deps: Pick<WebDeps, 'sql' | 'temporal' | 'taskQueue'>, importId: number, invoices: InvoiceRef[]): Promise<void> {
  let reachable = true;
  let pending = 0;
  const unreached: number[] = [];
  let cancelledBy: string | null = null;
  const stopped = stopRequestedCheck(async () => (cancelledBy = await importCancelledBy(deps.sql, importId)) !== null);
  try {
    await noteWorkflowsDone(deps.sql, importId, 0, 0);
    await eachConcurrently(invoices, async (inv) => {
      if (await stopped()) return void unreached.push(inv.id);
      if (reachable) reachable = await startOrWakeDunningSoon(deps.temporal, deps.taskQueue, inv);
      if (!reachable) pending++;
    }, (done) => noteWorkflowsDone(deps.sql, importId, done, pending));
    if (cancelledBy && unreached.length) await pauseUnstartedInvoices(deps.sql, importId, unreached, cancelledBy);
  } catch (err) {
    await noteWorkflowsFailure(deps.sql, importId, (err as Error).message.slice(0, 300));
    throw err;
  }
}
