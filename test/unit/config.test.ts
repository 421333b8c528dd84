import { expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../platform/config.js';

const token = { API_TOKEN: 'x'.repeat(32) };

it('gives typed defaults for the embedded setup', () => {
  const c = loadConfig(token);
  expect(c.web).toEqual({ host: '127.0.0.1', port: 3000, publicUrl: 'http://127.0.0.1:3000', trustProxy: 0 });
  expect(c.temporal).toMatchObject({ address: undefined, namespace: 'default', taskQueue: 'relance', tls: false, uiUrl: 'http://localhost:8233' });
  expect(c.demoData).toBe(true);
});

it('names every bad or missing variable, without echoing secrets', () => {
  let error: ConfigError | undefined;
  try {
    loadConfig({ WEB_PORT: 'abc', TEMPORAL_ADDRESS: 'http://x', TEMPORAL_TLS: 'maybe', DATABASE_URL: 'mysql://hunter2@h/db', RESEND_WEBHOOK_SECRET: 'hunter3-not-whsec' });
  } catch (e) {
    error = e as ConfigError;
  }
  expect(error?.problems).toEqual([
    expect.stringMatching(/^DATABASE_URL: expected a postgres:\/\/ connection URL$/),
    expect.stringMatching(/^TEMPORAL_ADDRESS: expected host:port/),
    expect.stringMatching(/^TEMPORAL_TLS: expected true or false \(got "maybe"\)$/),
    expect.stringMatching(/^WEB_PORT: .*\(got "abc"\)$/),
    expect.stringMatching(/^API_TOKEN: is required/),
    // A secret is marked so in the schema: whatever its name, its value is never shown.
    expect.stringMatching(/^RESEND_WEBHOOK_SECRET: expected the whsec_… signing secret of the Resend webhook$/),
  ]);
  expect(error?.message).not.toContain('hunter');
});

it('turns on TLS for Temporal Cloud when an API key is given', () => {
  expect(loadConfig({ ...token, TEMPORAL_ADDRESS: 'ns.acct.tmprl.cloud:7233', TEMPORAL_API_KEY: 'k' }).temporal.tls).toBe(true);
});

it('reads TRUST_PROXY as the number of reverse proxies, and names a bad value', () => {
  expect(loadConfig({ ...token, TRUST_PROXY: 'true' }).web.trustProxy).toBe(1);
  expect(loadConfig({ ...token, TRUST_PROXY: '2' }).web.trustProxy).toBe(2);
  expect(loadConfig({ ...token, TRUST_PROXY: 'no' }).web.trustProxy).toBe(0);
  expect(() => loadConfig({ ...token, TRUST_PROXY: 'everyone' })).toThrow(/TRUST_PROXY: expected false, true, or the number of reverse proxies/);
});
