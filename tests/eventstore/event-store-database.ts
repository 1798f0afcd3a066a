import pg from 'pg';
import { afterAll, beforeAll } from 'vitest';
import { createLogger, runMigrations } from '../../packages/platform/src/index.js';
import { useTestDatabase } from '../support/infra.js';

/**
 * A database of this test file's own, migrated the way services migrate it, and a pool on it.
 * `max` leaves room for concurrent writers and a LISTEN connection.
 */
export function useEventStoreDatabase(): () => pg.Pool {
  const database = useTestDatabase();
  let pool: pg.Pool | undefined;
  beforeAll(async () => {
    const logger = createLogger({ service: 'eventstore-test', level: 'silent' });
    await runMigrations({ databaseUrl: database().url, logger });
    pool = new pg.Pool({ connectionString: database().url, max: 10 });
    // An idle connection the server ends (teardown's DROP DATABASE ... WITH (FORCE), a restart) is
    // reported on the pool; unheard, that event would crash the test run. The pool replaces it.
    pool.on('error', () => {});
  });
  afterAll(async () => {
    await pool?.end();
  });
  return () => {
    if (!pool) throw new Error('the event store pool exists only inside tests and hooks');
    return pool;
  };
}
