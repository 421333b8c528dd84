import type { Sql } from '../client.js';
import { insertEvent } from './events.js';

export type DeliveryStatus = 'delivered' | 'delivery_delayed' | 'bounced' | 'complained' | 'failed' | 'suppressed';

/**
 * Records what the provider reports about a sent e-mail, once per webhook id; a report older than
 * the one already kept changes nothing. Returns the invoice it concerns, or undefined.
 */
export async function recordDelivery(
  sql: Sql,
  e: { webhookId: string; providerMessageId: string; status: DeliveryStatus; detail: string | null; at: Date },
): Promise<{ invoiceId: number; duplicate: boolean } | undefined> {
  return sql.begin(async (tx) => {
    const fresh = await tx`insert into webhook_events (id) values (${e.webhookId}) on conflict do nothing returning id`;
    const [reminder] = await tx<{ id: number; invoiceId: number; level: number; stepName: string }[]>`
      select id, invoice_id as "invoiceId", level, step_name as "stepName" from reminders where provider_message_id = ${e.providerMessageId}`;
    if (!reminder) return undefined;
    if (fresh.length === 0) return { invoiceId: reminder.invoiceId, duplicate: true };
    await tx`update reminders set delivery_status = ${e.status}, delivery_detail = ${e.detail}, delivery_at = ${e.at}
      where id = ${reminder.id} and (delivery_at is null or delivery_at <= ${e.at})`;
    await insertEvent(tx, {
      invoiceId: reminder.invoiceId, kind: `email_${e.status}`, level: reminder.level, params: { step: reminder.stepName, detail: e.detail },
      actor: 'resend', dedupeKey: `webhook-${e.webhookId}`, occurredAt: e.at.getTime(),
    });
    return { invoiceId: reminder.invoiceId, duplicate: false };
  });
}
