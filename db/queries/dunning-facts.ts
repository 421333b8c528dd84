import type { ISql } from '../client.js';
import type { DunningFacts } from '../../workflows/schedule/next-action.js';
import { localDate } from '../../workflows/schedule/zoned-time.js';
import { dunnableFacts, invoicesFacts, type InvoiceFactsRow } from './invoices.js';
import { approvalsOf } from './review.js';
import type { CompanySettings } from './settings.js';
import type { FollowUpStep } from './steps.js';
import { readConfiguration, type ConfigurationReads } from '../configuration-cache.js';

export interface LoadedFacts {
  facts: DunningFacts;
  invoice: InvoiceFactsRow;
  /** The policy's steps with their channels, for the screens that show them. */
  steps: FollowUpStep[];
  settings: CompanySettings;
}

/**
 * The one loader of "what is sent next" facts: the workflow, the invoice page, the mass follow-up
 * and the daily review all read an invoice's facts here, a page of them in a few statements.
 */
export async function loadDunningFacts(
  sql: ISql,
  invoiceIds: readonly number[],
  configuration: Pick<ConfigurationReads, 'settings' | 'stepsOfPolicy'> = readConfiguration(sql),
  /** A bulk run asking: each invoice's `levelOfRun` is read with its facts. */
  runId?: number,
): Promise<Map<number, LoadedFacts>> {
  if (invoiceIds.length === 0) return new Map();
  const [invoices, settings] = await Promise.all([invoicesFacts(sql, invoiceIds, runId), configuration.settings()]);
  const policyIds = [...new Set(invoices.map((i) => i.policyId).filter((id): id is number => id !== null))];
  const [policySteps, approvals] = await Promise.all([
    Promise.all(policyIds.map(async (id) => [id, await configuration.stepsOfPolicy(id)] as const)).then((entries) => new Map(entries)),
    approvalsOf(sql, invoices.filter((i) => i.needsApproval).map((i) => i.id)),
  ]);
  return new Map(invoices.map((inv) => {
    const steps = inv.policyId ? policySteps.get(inv.policyId) ?? [] : [];
    const last = inv.lastSent;
    const facts: DunningFacts = {
      invoiceId: inv.id,
      number: inv.number,
      customerRef: inv.customerRef,
      dunnable: dunnableFacts(inv, settings.minimumBalanceCents),
      dueDate: inv.referenceDueDate,
      steps: steps.map((s) => ({ level: s.level, name: s.name, delayDays: s.delayDays, isFinal: s.isFinal })),
      settings: { timeZone: settings.timezone, sendHour: settings.sendHour, country: settings.country },
      statementMode: inv.statementMode,
      approval: inv.needsApproval ? approvals.get(inv.id) ?? { approved: [], held: [] } : null,
      catchUp: inv.catchUp,
      progress: {
        level: last?.level ?? 0,
        lastDate: last ? localDate(last.sentAt.getTime(), settings.timezone) : null,
        nextPlannedOn: last?.nextPlannedOn,
        bringForwardTo: inv.debitReturn && localDate(Date.parse(inv.debitReturn.at), settings.timezone),
        restartFrom: inv.promiseKeptAt && localDate(inv.promiseKeptAt.getTime(), settings.timezone),
      },
    };
    return [inv.id, { facts, invoice: inv, steps, settings }];
  }));
}
