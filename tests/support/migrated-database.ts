import pg from 'pg';
import { afterAll, beforeAll } from 'vitest';
import { createLogger, runMigrations } from '../../packages/platform/src/index.js';
import { type TestDatabase, useTestDatabase } from './infra.js';

export interface MigratedDatabase {
  readonly database: () => TestDatabase;
  readonly pool: () => pg.Pool;
}

/**
 * A database of the calling test file's own, migrated the way services migrate it, and a pool of
 * `poolMax` connections on it, ended after the file's tests. Hooks the file registers after this
 * call run after the migration, so they can seed through the pool.
 */
export function useMigratedDatabase(poolMax = 2): MigratedDatabase {
  const database = useTestDatabase();
  let pool: pg.Pool | undefined;
  beforeAll(async () => {
    await runMigrations({
      databaseUrl: database().url,
      logger: createLogger({ service: 'test', level: 'silent' }),
    });
    pool = new pg.Pool({ connectionString: database().url, max: poolMax });
    // An idle connection the server ends (teardown's DROP DATABASE ... WITH (FORCE), a restart) is
    // reported on the pool; unheard, that event would crash the test run. The pool replaces it.
    pool.on('error', () => {});
  });
  afterAll(async () => {
    await pool?.end();
  });
  return {
    database,
    pool: () => {
      if (!pool) throw new Error('useMigratedDatabase(): the pool is only available inside tests and hooks');
      return pool;
    },
  };
}
