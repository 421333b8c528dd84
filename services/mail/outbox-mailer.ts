import type { Sql } from '../../db/client.js';
import { putInOutbox } from '../../db/queries/outbox.js';
import type { Mailer } from './mailer.js';

/** Keeps e-mails in the local outbox table when no provider is configured. */
export function createOutboxMailer(sql: Sql): Mailer {
  return {
    kind: 'outbox',
    async send(email) {
      const id = await putInOutbox(sql, email);
      return { providerMessageId: `outbox-${id}` };
    },
  };
}
