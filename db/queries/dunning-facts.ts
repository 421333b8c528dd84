import type { ISql } from '../client.js';
import type { DunningFacts } from '../../workflows/schedule/next-action.js';
import { localDate } from '../../workflows/schedule/zoned-time.js';
import { dunnableFacts, invoicesFacts, type InvoiceFactsRow } from './invoices.js';
import { approvalsOf } from './review.js';
import type { CompanySettings } from './settings.js';
import type { FollowUpStep } from './steps.js';
import { readConfiguration, type ConfigurationReads } from '../configuration-cache.js';

type FactsConfiguration = Pick<ConfigurationReads, 'settings' | 'stepsOfPolicy'>;

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
  /** The reads themselves, or (a worker's cache) the reads at the version the facts were read with. */
  configuration: FactsConfiguration | ((version: number) => FactsConfiguration) = readConfiguration(sql),
  /** A bulk run asking: each invoice's `levelOfRun` is read with its facts. */
  runId?: number,
): Promise<Map<number, LoadedFacts>> {
  if (invoiceIds.length === 0) return new Map();
  const read = await factsAndConfiguration(sql, invoiceIds, configuration, runId);
  if (!read) return new Map();
  const { invoices, reads, settings } = read;
  const policyIds = [...new Set(invoices.map((i) => i.policyId).filter((id): id is number => id !== null))];
  const [policySteps, approvals] = await Promise.all([
    Promise.all(policyIds.map(async (id) => [id, await reads.stepsOfPolicy(id)] as const)).then((entries) => new Map(entries)),
    approvalsOf(sql, invoices.filter((i) => i.needsApproval).map((i) => i.id)),
  ]);
  return new Map(invoices.map((inv) => {
    const steps = inv.policyId ? policySteps.get(inv.policyId) ?? [] : [];
    const facts = dunningFactsOf(inv, steps, settings, inv.needsApproval ? approvals.get(inv.id) ?? { approved: [], held: [] } : null);
    return [inv.id, { facts, invoice: inv, steps, settings }];
  }));
}

/** An invoice's "what is sent next" facts from its row, its policy's steps, the settings and its review approvals. */
export function dunningFactsOf(inv: InvoiceFactsRow, steps: FollowUpStep[], settings: CompanySettings, approval: DunningFacts['approval']): DunningFacts {
  const last = inv.lastSent;
  return {
    invoiceId: inv.id,
    number: inv.number,
    customerRef: inv.customerRef,
    dunnable: dunnableFacts(inv, settings.minimumBalanceCents),
    dueDate: inv.referenceDueDate,
    steps: steps.map((s) => ({ level: s.level, name: s.name, delayDays: s.delayDays, isFinal: s.isFinal })),
    settings: { timeZone: settings.timezone, sendHour: settings.sendHour, country: settings.country },
    statementMode: inv.statementMode,
    approval,
    catchUp: inv.catchUp,
    progress: {
      level: last?.level ?? 0,
      lastDate: last ? localDate(last.sentAt.getTime(), settings.timezone) : null,
      nextPlannedOn: last?.nextPlannedOn,
      bringForwardTo: inv.debitReturn && localDate(Date.parse(inv.debitReturn.at), settings.timezone),
      restartFrom: inv.promiseKeptAt && localDate(inv.promiseKeptAt.getTime(), settings.timezone),
    },
  };
}

/** A page reads the configuration beside the facts; a worker's cache, at the version read with them. None when no invoice is found. */
async function factsAndConfiguration(
  sql: ISql, invoiceIds: readonly number[], configuration: FactsConfiguration | ((version: number) => FactsConfiguration), runId: number | undefined,
): Promise<{ invoices: InvoiceFactsRow[]; reads: FactsConfiguration; settings: CompanySettings } | null> {
  if (typeof configuration !== 'function') {
    const [invoices, settings] = await Promise.all([invoicesFacts(sql, invoiceIds, runId), configuration.settings()]);
    return invoices.length ? { invoices, reads: configuration, settings } : null;
  }
  const invoices = await invoicesFacts(sql, invoiceIds, runId);
  if (invoices.length === 0) return null;
  const reads = configuration(invoices[0]!.configurationVersion);
  return { invoices, reads, settings: await reads.settings() };
}
