import { ApplicationFailure } from '@temporalio/activity';
import type { Sql } from '../db/client.js';
import { settlePromise } from '../db/queries/disputes.js';
import { insertEvent, insertLegacyEvent, type FollowUpEvent, type LegacyFollowUpEvent } from '../db/queries/events.js';
import { loadDunningFacts } from '../db/queries/dunning-facts.js';
import { recordOperatorStop, setInvoicePaused } from '../db/queries/invoices.js';
import { NON_RETRYABLE } from '../workflows/errors.js';
import type { DunningFacts } from '../workflows/schedule/next-action.js';
import { createConfigurationCache, type ConfigurationCache } from '../db/configuration-cache.js';


export function createDunningActivities({ sql, configuration = createConfigurationCache(sql) }: { sql: Sql; configuration?: ConfigurationCache }) {
  return {
    /** Everything the workflow needs to decide its next step, read fresh from the database (the configuration kept while unchanged). */
    async loadDunningFacts(invoiceId: number): Promise<DunningFacts> {
      const loaded = (await loadDunningFacts(sql, [invoiceId], (version) => configuration.at(version))).get(invoiceId);
      if (!loaded) throw ApplicationFailure.nonRetryable(`Invoice ${invoiceId} does not exist`, NON_RETRYABLE.notFound);
      return loaded.facts;
    },

    async setInvoicePause(input: { invoiceId: number; paused: boolean; reason: string | null; actor: string }): Promise<void> {
      await sql.begin(async (tx) => {
        await setInvoicePaused(tx, input.invoiceId, input.paused, input.reason);
        await insertEvent(tx, input.paused
          ? { invoiceId: input.invoiceId, kind: 'paused', params: { reason: input.reason ?? '' }, actor: input.actor }
          : { invoiceId: input.invoiceId, kind: 'resumed', params: {}, actor: input.actor });
      });
    },

    /** An operator cancelled the workflow: the invoice stays stopped until resumed from the admin site. */
    async recordOperatorStop(input: { invoiceId: number; how: 'cancelled' | 'terminated'; at: number }): Promise<void> {
      await recordOperatorStop(sql, input);
    },

    /** The workflow saw the promise kept or broken; a retry finds it settled and writes nothing. */
    async settlePromise(input: { invoiceId: number; promiseId: number; outcome: 'kept' | 'broken'; at?: number }): Promise<void> {
      await settlePromise(sql, { ...input, actor: 'system' });
    },

    // An activity scheduled before the upgrade still carries its English message: it is kept as written.
    async recordEvent(event: FollowUpEvent | LegacyFollowUpEvent): Promise<void> {
      await ('message' in event ? insertLegacyEvent(sql, event) : insertEvent(sql, event));
    },
  };
}
