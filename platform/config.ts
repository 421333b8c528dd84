import { z } from 'zod';

// The only place that reads the environment: everything else receives a typed Config.

const bool = z
  .enum(['true', 'false', '1', '0', 'yes', 'no'], { error: 'expected true or false' })
  .transform((v) => v === 'true' || v === '1' || v === 'yes');

const port = z.coerce
  .number({ error: 'expected a port number' })
  .int('expected a whole number')
  .min(1, 'expected a port between 1 and 65535')
  .max(65535, 'expected a port between 1 and 65535');

const url = z.url({ error: 'expected a URL such as http://host:port' });

/** Variables whose value is never printed, not even in the error naming them. */
const secrets = new WeakSet<z.ZodType>();
function secret<T extends z.ZodType>(field: T): T {
  secrets.add(field);
  return field;
}

const schema = z.object({
  DATA_DIR: z.string().min(1).default('.data'),
  // Its password is part of it.
  DATABASE_URL: secret(z
    .string()
    .regex(/^postgres(ql)?:\/\//, 'expected a postgres:// connection URL')
    .optional()),
  EMBEDDED_POSTGRES_PORT: port.default(5433),
  TEMPORAL_ADDRESS: z
    .string()
    .regex(/^[^\s:/]+:\d+$/, 'expected host:port, e.g. localhost:7233')
    .optional(),
  TEMPORAL_NAMESPACE: z.string().min(1).default('default'),
  TEMPORAL_TASK_QUEUE: z.string().min(1).default('relance'),
  TEMPORAL_TLS: bool.default(false),
  TEMPORAL_API_KEY: secret(z.string().min(1).optional()),
  TEMPORAL_CLI: z.string().min(1).optional(),
  TEMPORAL_DEV_PORT: port.default(7233),
  TEMPORAL_UI_PORT: port.default(8233),
  TEMPORAL_UI_URL: url.optional(),
  WEB_HOST: z.string().min(1).default('127.0.0.1'),
  WEB_PORT: port.default(3000),
  PUBLIC_URL: url.optional(),
  TRUST_PROXY: z
    .union([bool, z.coerce.number().int().min(0).max(10)], { error: 'expected false, true, or the number of reverse proxies in front of Relance (0–10)' })
    .transform((v) => (v === true ? 1 : v === false ? 0 : v))
    .default(0),
  API_TOKEN: secret(z
    .string({ error: 'is required: the bearer token clients send to the REST API' })
    .min(24, 'must be at least 24 characters long')),
  ADMIN_EMAIL: z.email({ error: 'expected an e-mail address' }).default('admin@relance.local'),
  ADMIN_PASSWORD: secret(z.string().min(12, 'must be at least 12 characters long').optional()),
  RESEND_API_KEY: secret(z.string().min(1).optional()),
  RESEND_BASE_URL: url.optional(),
  RESEND_WEBHOOK_SECRET: secret(z.string().regex(/^whsec_/, 'expected the whsec_… signing secret of the Resend webhook').optional()),
  MAIL_FROM: z.string().min(3).default('Relance <relance@localhost>'),
  STRIPE_API_URL: url.optional(),
  CHROMIUM_PATH: z.string().min(1).default('/usr/bin/chromium'),
  SENDS_PER_SECOND: z.coerce.number({ error: 'expected a number' }).positive('must be above 0').optional(),
  WORKFLOW_BUNDLE: z.string().min(1).optional(),
  WORKER_MAX_CACHED_WORKFLOWS: z.coerce.number({ error: 'expected a number' }).int('expected a whole number').min(0, 'must be 0 or more').default(500),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  DEMO_DATA: bool.default(true),
});

export interface Config {
  dataDir: string;
  database: { url?: string; embeddedPort: number };
  temporal: {
    address?: string;
    namespace: string;
    taskQueue: string;
    tls: boolean;
    apiKey?: string;
    cli?: string;
    /** Sleeping workflows beyond this are evicted from the worker and replayed from history when they wake. */
    maxCachedWorkflows: number;
    /** A prebuilt workflow bundle (npm run build:workflows); without it the worker bundles at start. */
    workflowBundle?: string;
    devPort: number;
    uiPort: number;
    uiUrl: string;
  };
  /**
   * How many reverse proxies stand in front of the web server. 0: the connecting address is the
   * client's. n: the client is the n-th address from the right of X-Forwarded-For (the one the
   * outermost of our proxies added); a client cannot forge it by sending the header itself.
   */
  web: { host: string; port: number; publicUrl: string; trustProxy: number };
  apiToken: string;
  /** The first admin, created on an empty database. */
  firstAdmin: { email: string; password?: string };
  mail: { resendApiKey?: string; resendBaseUrl?: string; resendWebhookSecret?: string; from: string; sendsPerSecond?: number };
  /** Where Stripe calls go when not to api.stripe.com (stripe-mock); the keys are in the settings. */
  stripe: { apiUrl?: string };
  /** The Chromium that renders letters and invoice copies to PDF. */
  chromiumPath: string;
  logLevel: string;
  demoData: boolean;
}

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

export function loadConfig(env: Record<string, string | undefined> = process.env): Config {
  // An empty variable means "not set", as in most shells' `FOO= cmd`.
  const present = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v !== ''));
  const parsed = schema.safeParse(present);
  if (!parsed.success) {
    throw new ConfigError(
      parsed.error.issues.map((issue) => {
        const name = String(issue.path[0] ?? '(environment)');
        const got = present[name];
        const field = schema.shape[name as keyof typeof schema.shape] as z.ZodType | undefined;
        const shown = got === undefined || (field && secrets.has(field)) ? '' : ` (got "${got}")`;
        return `${name}: ${issue.message}${shown}`;
      }),
    );
  }
  const e = parsed.data;
  const webUrl = e.PUBLIC_URL ?? `http://${e.WEB_HOST === '0.0.0.0' ? 'localhost' : e.WEB_HOST}:${e.WEB_PORT}`;
  return {
    dataDir: e.DATA_DIR,
    database: { url: e.DATABASE_URL, embeddedPort: e.EMBEDDED_POSTGRES_PORT },
    temporal: {
      address: e.TEMPORAL_ADDRESS,
      namespace: e.TEMPORAL_NAMESPACE,
      taskQueue: e.TEMPORAL_TASK_QUEUE,
      tls: e.TEMPORAL_TLS || e.TEMPORAL_API_KEY !== undefined,
      apiKey: e.TEMPORAL_API_KEY,
      cli: e.TEMPORAL_CLI,
      maxCachedWorkflows: e.WORKER_MAX_CACHED_WORKFLOWS,
      workflowBundle: e.WORKFLOW_BUNDLE,
      devPort: e.TEMPORAL_DEV_PORT,
      uiPort: e.TEMPORAL_UI_PORT,
      uiUrl: e.TEMPORAL_UI_URL ?? `http://localhost:${e.TEMPORAL_UI_PORT}`,
    },
    web: { host: e.WEB_HOST, port: e.WEB_PORT, publicUrl: webUrl.replace(/\/$/, ''), trustProxy: e.TRUST_PROXY },
    apiToken: e.API_TOKEN,
    firstAdmin: { email: e.ADMIN_EMAIL, password: e.ADMIN_PASSWORD },
    mail: { resendApiKey: e.RESEND_API_KEY, resendBaseUrl: e.RESEND_BASE_URL, resendWebhookSecret: e.RESEND_WEBHOOK_SECRET, from: e.MAIL_FROM, sendsPerSecond: e.SENDS_PER_SECOND },
    stripe: { apiUrl: e.STRIPE_API_URL },
    chromiumPath: e.CHROMIUM_PATH,
    logLevel: e.LOG_LEVEL,
    demoData: e.DEMO_DATA,
  };
}

/** The environment handed to the processes `npm start` spawns, with the values it chose added. */
export function childEnvironment(additions: Record<string, string>): Record<string, string | undefined> {
  return { ...process.env, ...additions };
}
