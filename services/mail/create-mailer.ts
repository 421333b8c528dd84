import type { Sql } from '../../db/client.js';
import type { Config } from '../../platform/config.js';
import { createBatchingMailer } from './batching-mailer.js';
import type { Mailer } from './mailer.js';
import { createOutboxMailer } from './outbox-mailer.js';
import { createResendMailer } from './resend-mailer.js';

export function createMailer(config: Config['mail'], sql: Sql): Mailer {
  return config.resendApiKey
    ? createBatchingMailer({ sql, provider: createResendMailer({ apiKey: config.resendApiKey, baseUrl: config.resendBaseUrl }) })
    : createOutboxMailer(sql);
}
