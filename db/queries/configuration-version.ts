import type { ISql } from '../client.js';

/**
 * The configuration's version (moved by triggers on every table the configuration cache reads), as
 * a column of another statement: the facts read with it label the configuration they were judged by.
 */
export const configurationVersionSql = (sql: ISql) => sql`(select version from configuration_version where id = 1)`;
