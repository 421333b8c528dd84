import type { Client } from '@temporalio/client';
import type { StripeConnect } from '../services/stripe/stripe-client.js';
import type { Sql } from '../db/client.js';
import type { SignalCourier } from '../services/temporal/signal-courier.js';

export interface WebDeps {
  sql: Sql;
  temporal: Client;
  taskQueue: string;
  apiToken: string;
  temporalUiUrl: string;
  namespace: string;
  stripe: StripeConnect;
  /** The site's own address, as customers and links see it. */
  publicUrl: string;
  /** Reverse proxies in front of the web server (TRUST_PROXY): 0 trusts no X-Forwarded-For. */
  trustProxy: number;
  /** Delivers the signals an answer need not wait for (the API's payments); the app makes one when none is given. */
  signals?: SignalCourier;
}
