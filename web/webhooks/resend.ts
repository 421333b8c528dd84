import { Hono } from 'hono';
import { Webhook, WebhookVerificationError } from 'standardwebhooks';
import { recordDelivery, type DeliveryStatus } from '../../db/queries/delivery.js';
import type { WebDeps } from '../deps.js';
import { wakeWorkflows } from '../../services/temporal/wake-workflows.js';

const STATUS_OF: Record<string, DeliveryStatus> = {
  'email.delivered': 'delivered',
  'email.delivery_delayed': 'delivery_delayed',
  'email.bounced': 'bounced',
  'email.complained': 'complained',
  'email.failed': 'failed',
  'email.suppressed': 'suppressed',
};

interface EmailEvent {
  type: string;
  created_at: string;
  data: { email_id: string; bounce?: { message?: string; type?: string }; failed?: { reason?: string } };
}

/**
 * Resend's delivery webhooks, signed the Standard Webhooks way (Svix): the signature is checked
 * against the raw body before anything is read, a replayed delivery is recorded once, and a bounce
 * wakes the invoice's workflow so its state shows it.
 */
export function createResendWebhooks(deps: WebDeps & { resendWebhookSecret?: string }) {
  const app = new Hono();
  app.post('/resend', async (c) => {
    if (!deps.resendWebhookSecret) return c.json({ error: 'not_configured', message: 'RESEND_WEBHOOK_SECRET is not set' }, 404);
    const payload = await c.req.text();
    let event: EmailEvent;
    try {
      event = new Webhook(deps.resendWebhookSecret).verify(payload, {
        'webhook-id': c.req.header('svix-id') ?? c.req.header('webhook-id') ?? '',
        'webhook-timestamp': c.req.header('svix-timestamp') ?? c.req.header('webhook-timestamp') ?? '',
        'webhook-signature': c.req.header('svix-signature') ?? c.req.header('webhook-signature') ?? '',
      }) as EmailEvent;
    } catch (err) {
      if (err instanceof WebhookVerificationError) return c.json({ error: 'invalid_signature', message: err.message }, 401);
      throw err;
    }
    const status = STATUS_OF[event.type];
    // Other events (sent, opened, clicked…) are acknowledged and ignored.
    if (!status || !event.data?.email_id) return c.json({ ok: true, ignored: event.type });
    const recorded = await recordDelivery(deps.sql, {
      webhookId: c.req.header('svix-id') ?? c.req.header('webhook-id')!,
      providerMessageId: event.data.email_id,
      status,
      detail: event.data.bounce?.message ?? event.data.failed?.reason ?? null,
      at: new Date(event.created_at),
    });
    if (recorded && !recorded.duplicate && status !== 'delivered') await wakeWorkflows(deps, [recorded.invoiceId]);
    return c.json({ ok: true, recorded: Boolean(recorded), duplicate: recorded?.duplicate ?? false });
  });
  return app;
}
