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
  });
  afterAll(async () => {
    await pool?.end();
  });
  return () => {
    if (!pool) throw new Error('the event store pool exists only inside tests and hooks');
    return pool;
  };
}
