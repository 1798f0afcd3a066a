import { readdir, readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { afterAll, beforeAll } from 'vitest';
import { useTestDatabase } from '../support/infra.js';

const migrationsDir = fileURLToPath(new URL('../../migrations/', import.meta.url));

/**
 * Until packages/platform ships `runMigrations`, applies the Up section of every migration up to
 * 0002 (the event store) in file order, the way node-pg-migrate would.
 */
async function applyMigrations(pool: pg.Pool): Promise<void> {
  const files = (await readdir(migrationsDir)).filter((file) => /^000[12]_.*\.sql$/.test(file)).sort();
  for (const file of files) {
    const sql = await readFile(`${migrationsDir}${file}`, 'utf8');
    const up = sql.split(/^-- Down Migration/m)[0] ?? '';
    await pool.query(up);
  }
}

/**
 * A migrated database of this test file's own and a pool on it, for the whole file.
 * `max` leaves room for concurrent writers and a LISTEN connection.
 */
export function useEventStoreDatabase(): () => pg.Pool {
  const database = useTestDatabase();
  let pool: pg.Pool | undefined;
  beforeAll(async () => {
    pool = new pg.Pool({ connectionString: database().url, max: 10 });
    await applyMigrations(pool);
  });
  afterAll(async () => {
    await pool?.end();
  });
  return () => {
    if (!pool) throw new Error('the event store pool exists only inside tests and hooks');
    return pool;
  };
}
