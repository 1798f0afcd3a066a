import { describe, expect, it } from 'vitest';
import { createLogger, createPool } from '../../packages/platform/src/index.js';
import { useTestDatabase } from '../support/infra.js';

const database = useTestDatabase();
const logger = createLogger({ service: 'pool-test', level: 'silent' });

describe('createPool', () => {
  it('names its connections and bounds every statement', async () => {
    const pool = createPool({
      connectionString: database().url,
      applicationName: 'leadscore-pool-test',
      max: 2,
      statementTimeoutMs: 200,
      logger,
    });
    try {
      const settings = await pool.query<{ name: string; timeout: string }>(
        `SELECT current_setting('application_name') AS name, current_setting('statement_timeout') AS timeout`,
      );
      expect(settings.rows[0]).toEqual({ name: 'leadscore-pool-test', timeout: '200ms' });
      await expect(pool.query('SELECT pg_sleep(2)')).rejects.toThrow(/statement timeout/);
    } finally {
      await pool.end();
    }
  });
});
