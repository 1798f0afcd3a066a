import { type Config, createPool, type Logger } from '@leadscore/platform';
import type pg from 'pg';
import { startFreshSession } from './shared-session.js';

export interface QuickstartPoolSettings {
  readonly database: Config['database'];
  /** True on PGlite (embedded-postgres.ts), whose one session all connections share. */
  readonly embedded: boolean;
  readonly logger: Logger;
}

/** The one pool all four services share in the quickstart process. */
export function createQuickstartPool(settings: QuickstartPoolSettings): pg.Pool {
  return createPool({
    connectionString: settings.database.url,
    applicationName: 'leadscore-quickstart',
    max: settings.database.poolMax,
    statementTimeoutMs: settings.database.statementTimeoutMs,
    logger: settings.logger,
    // A real server gives each connection a session of its own; PGlite does not.
    onConnect: settings.embedded ? startFreshSession : undefined,
  });
}
