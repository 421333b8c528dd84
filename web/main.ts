import { serve } from '@hono/node-server';
import { Client } from '@temporalio/client';
import { createSql } from '../db/client.js';
import { loadConfig } from '../platform/config.js';
import { createLogger } from '../platform/logger.js';
import { connectClient } from '../platform/temporal-connection.js';
import { createStripeConnect } from '../services/stripe/stripe-client.js';
import { createApp } from './app.js';
import { SignalCourier } from '../services/temporal/signal-courier.js';
import { ensureFirstAdmin } from './auth/first-admin.js';

async function main(): Promise<void> {
  const config = loadConfig();
  const log = createLogger(config.logLevel, 'web');
  if (!config.database.url) throw new Error('DATABASE_URL is required to run the web server on its own (npm start sets it for you)');
  const sql = createSql(config.database.url);
  const connection = await connectClient(config.temporal);
  const temporal = new Client({ connection, namespace: config.temporal.namespace });
  const firstAdmin = await ensureFirstAdmin(sql, config.firstAdmin);
  if (firstAdmin?.password) log.warn(`first admin created: ${firstAdmin.email} / ${firstAdmin.password} (shown once)`);
  const signals = new SignalCourier();
  const app = createApp({
    sql, temporal, signals, publicUrl: config.web.publicUrl, trustProxy: config.web.trustProxy, taskQueue: config.temporal.taskQueue, apiToken: config.apiToken,
    temporalUiUrl: config.temporal.uiUrl, namespace: config.temporal.namespace, resendWebhookSecret: config.mail.resendWebhookSecret,
    stripe: createStripeConnect(config.stripe.apiUrl),
    log: (err) => log.error({ err }, 'request failed'),
  });
  const server = serve({ fetch: app.fetch, hostname: config.web.host, port: config.web.port }, () =>
    log.info({ url: config.web.publicUrl }, 'web server listening'),
  );

  const stop = async () => {
    server.close();
    // The payments already answered tell their workflows before the process goes (the repair pass covers the rest).
    await signals.drained(5_000);
    await connection.close();
    await sql.end({ timeout: 5 });
    process.exit(0);
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

main().catch((err) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
