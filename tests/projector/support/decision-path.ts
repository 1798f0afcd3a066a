import { createLogger, createMetricsRegistry } from '../../../packages/platform/src/index.js';
import { createProjectorMetrics } from '../../../services/projector/src/index.js';
import { useMigratedDatabase } from '../../support/migrated-database.js';

/**
 * For tests of the decision path itself (no consumer): a migrated database of the file's own,
 * a pool on it, and the context decisions report to, with the count of version conflicts so far.
 */
export function useDecisionPath() {
  const { database, pool } = useMigratedDatabase(6);
  const metrics = createProjectorMetrics(createMetricsRegistry('projector'));
  const context = { metrics, logger: createLogger({ service: 'projector', level: 'silent' }) };

  return {
    database,
    pool,
    context,
    conflicts: async () => (await metrics.versionConflicts.get()).values[0]?.value ?? 0,
  };
}
