import pg from 'pg';
import { afterAll, beforeAll } from 'vitest';
import { createLogger, createMetricsRegistry, runMigrations } from '../../../packages/platform/src/index.js';
import { createProjectorMetrics } from '../../../services/projector/src/index.js';
import { useTestDatabase } from '../../support/infra.js';

/**
 * For tests of the decision path itself (no consumer): a migrated database of the file's own,
 * a pool on it, and the context decisions report to, with the count of version conflicts so far.
 */
export function useDecisionPath() {
  const database = useTestDatabase();
  let pool: pg.Pool | undefined;
  const metrics = createProjectorMetrics(createMetricsRegistry('projector'));
  const context = { metrics, logger: createLogger({ service: 'projector', level: 'silent' }) };

  beforeAll(async () => {
    await runMigrations({
      databaseUrl: database().url,
      logger: createLogger({ service: 'test', level: 'silent' }),
    });
    pool = new pg.Pool({ connectionString: database().url, max: 6 });
  });

  afterAll(async () => {
    await pool?.end();
  });

  return {
    database,
    pool: () => {
      if (!pool) throw new Error('useDecisionPath(): the pool is only available inside tests and hooks');
      return pool;
    },
    context,
    conflicts: async () => (await metrics.versionConflicts.get()).values[0]?.value ?? 0,
  };
}
