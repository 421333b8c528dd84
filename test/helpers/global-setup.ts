import type { TestProject } from 'vitest/node';
import { mkdtemp, rm } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { createSql } from '../../db/client.js';
import { startEmbeddedPostgres } from '../../db/embedded.js';
import { migrate } from '../../db/migrate.js';
import { ensureDefaultPolicy } from '../../db/seed/defaults.js';
import { ensureTemporalCli, ensureTestServer } from '../../scripts/temporal-binaries.js';
import { ensureStripeMock } from '../../scripts/stripe-mock.js';
import { freePort } from './ports.js';
import { startStripeMock } from './stripe-mock.js';
import { childEnvironment } from '../../platform/config.js';

declare module 'vitest' {
  export interface ProvidedContext {
    postgresAdminUrl: string;
    templateDatabase: string;
    testServerPath: string;
    temporalCliPath: string;
    stripeMockUrl: string;
  }
}

/** One PostgreSQL for the whole run, with a migrated template database that each test file clones. */
export default async function setup(project: TestProject) {
  const toolsDir = resolve('.tools');
  const env = childEnvironment({});
  const [testServerPath, temporalCliPath, stripeMockPath] = await Promise.all([
    ensureTestServer({ toolsDir, env, log: console.log }),
    ensureTemporalCli({ toolsDir, env, log: console.log }),
    ensureStripeMock({ toolsDir, env, log: console.log }),
  ]);
  const stripeMock = await startStripeMock(stripeMockPath);
  await import('node:fs/promises').then((fs) => fs.mkdir(resolve('.data'), { recursive: true }));
  const dataDir = await mkdtemp(join(resolve('.data'), 'test-pg-'));
  const pg = await startEmbeddedPostgres({ dataDir: join(dataDir, 'pg'), port: await freePort(), database: 'relance_template' });
  const sql = createSql(pg.url, { max: 1 });
  await migrate(sql);
  await ensureDefaultPolicy(sql);
  await sql.end();
  project.provide('postgresAdminUrl', pg.url.replace(/\/relance_template$/, '/postgres'));
  project.provide('templateDatabase', 'relance_template');
  project.provide('testServerPath', testServerPath);
  project.provide('temporalCliPath', temporalCliPath);
  project.provide('stripeMockUrl', stripeMock.url);
  return async () => {
    stripeMock.stop();
    await pg.stop();
    await rm(dataDir, { recursive: true, force: true });
  };
}
