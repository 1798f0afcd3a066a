import pg from 'pg';
import type { Logger } from '../logger.js';

export interface PoolSettings {
  readonly connectionString: string;
  /** Shown in pg_stat_activity, so a DBA can tell which service holds a connection. */
  readonly applicationName: string;
  readonly max: number;
  /** Server-side limit per statement, in ms; 0 disables it. */
  readonly statementTimeoutMs: number;
  readonly logger: Logger;
  /**
   * Run on every new connection before anyone gets it. A failure ends the connection and fails
   * the checkout that wanted it, so nobody is handed a connection in an unknown state.
   */
  readonly onConnect?: (client: pg.ClientBase) => Promise<void>;
}

export function createPool(settings: PoolSettings): pg.Pool {
  const pool = new pg.Pool({
    connectionString: settings.connectionString,
    application_name: settings.applicationName,
    max: settings.max,
    statement_timeout: settings.statementTimeoutMs,
    connectionTimeoutMillis: 10_000,
    idleTimeoutMillis: 30_000,
    onConnect: settings.onConnect,
  });
  // An idle client losing its connection (server restart, failover) emits 'error' on the pool;
  // unhandled, it would crash the process. The pool discards that client and recovers by itself.
  pool.on('error', (error) => {
    settings.logger.error({ err: error }, 'idle PostgreSQL connection failed; the pool will replace it');
  });
  return pool;
}
