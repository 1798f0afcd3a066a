import type pg from 'pg';
import { useMigratedDatabase } from '../support/migrated-database.js';

/**
 * A database of this test file's own, migrated the way services migrate it, and a pool on it.
 * `max` leaves room for concurrent writers and a LISTEN connection.
 */
export function useEventStoreDatabase(): () => pg.Pool {
  return useMigratedDatabase(10).pool;
}
