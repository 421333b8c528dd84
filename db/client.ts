import postgres from 'postgres';

/** The pool: it can open transactions (`begin`) and be closed. */
export type Sql = postgres.Sql<{}>;
/** What a query needs: the pool or a transaction, whichever the caller holds. */
export type ISql = postgres.ISql<{}>;
/** A query that must run inside a transaction takes this. */
export type TransactionSql = postgres.TransactionSql<{}>;
/** A statement not yet run, to be written inside another. */
export type Fragment = postgres.Fragment;

const DATE_OID = 1082;
const INT8_OID = 20;

export interface PoolOptions {
  max?: number;
  /**
   * Statements are prepared; after five runs PostgreSQL may switch to a generic plan that ignores
   * the values. The admin's pages filter on what a person chose, and a follow-up filtered to a few
   * rows would scan them all, so by default every run is planned for its values. The worker's
   * statements look rows up by key, the same shape every time: planning each run of them cost more
   * than running it (the facts read, 1.4 ms planned against 0.4 ms run), so the worker lets
   * PostgreSQL keep a plan (`genericPlans`).
   */
  genericPlans?: boolean;
}

/** One pool per process, injected everywhere; dates stay `YYYY-MM-DD` strings, int8 cents become numbers. */
export function createSql(url: string, options: PoolOptions = {}): Sql {
  return postgres(url, {
    max: options.max ?? 10,
    onnotice: () => {},
    ...(options.genericPlans ? {} : { connection: { plan_cache_mode: 'force_custom_plan' } }),
    types: {
      date: { to: DATE_OID, from: [DATE_OID], serialize: (v: string) => v, parse: (v: string) => v },
      int8: { to: INT8_OID, from: [INT8_OID], serialize: (v: number) => String(v), parse: (v: string) => Number(v) },
    },
  }) as unknown as Sql;
}
