import { loadConfig } from '../platform/config.js';
import { createSql } from './client.js';
import { migrate } from './migrate.js';
import { ensureDefaultPolicy } from './seed/defaults.js';

/** `npm run migrate`: applies pending migrations and creates the default policy on an empty database. */
async function main(): Promise<void> {
  const config = loadConfig();
  if (!config.database.url) throw new Error('DATABASE_URL is required to migrate');
  const sql = createSql(config.database.url, { max: 1 });
  const { applied } = await migrate(sql);
  await ensureDefaultPolicy(sql);
  console.log(applied.length ? `applied: ${applied.join(', ')}` : 'the database is up to date');
  await sql.end({ timeout: 5 });
}

main().catch((err) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
