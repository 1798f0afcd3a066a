import { readdir } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { runner } from 'node-pg-migrate';
import pg from 'pg';
import type { Logger } from '../logger.js';
import { connectTo } from './database-unreachable.js';

/** The repository's migrations/ folder (this file is packages/platform/src/database/). */
export const MIGRATIONS_DIR = fileURLToPath(new URL('../../../../migrations/', import.meta.url));

/** node-pg-migrate's bookkeeping table (file names applied), distinct from our schema version. */
const MIGRATIONS_TABLE = 'pgmigrations';

/**
 * Our own advisory lock key. node-pg-migrate's built-in lock uses pg_try_advisory_lock and fails
 * with "Another migration is already running", which would crash the second of two services
 * starting together. We take a blocking lock instead: the second waits, then finds nothing to do.
 */
const MIGRATION_LOCK_KEY = '7349112020260001';

const MIGRATION_FILE = /^(\d{4})_[a-z0-9_]+\.sql$/;
/** node-pg-migrate anchors this as ^...$: everything that is not a migration file is ignored. */
const IGNORED_FILES = '(?!\\d{4}_[a-z0-9_]+\\.sql$).*';

export interface MigrationSettings {
  readonly databaseUrl: string;
  readonly logger: Logger;
  readonly dir?: string;
  /** How long to wait for another process's migration run before giving up. */
  readonly lockTimeoutMs?: number;
}

export interface MigrationResult {
  /** File names (without extension) applied by this run, in order; empty when already up to date. */
  readonly applied: readonly string[];
  readonly schemaVersion: number;
}

/**
 * Applies every pending migration in one transaction, serialised across processes. Rejects with
 * DatabaseUnreachableError, having run nothing, when it cannot connect.
 */
export async function runMigrations(settings: MigrationSettings): Promise<MigrationResult> {
  const logger = settings.logger.child({ component: 'migrations' });
  const client = new pg.Client({
    connectionString: settings.databaseUrl,
    application_name: 'leadscore-migrate',
  });
  await connectTo(settings.databaseUrl, () => client.connect());
  try {
    await acquireLock(client, settings.lockTimeoutMs ?? 120_000);
    try {
      const applied = await runner({
        dbClient: client,
        dir: settings.dir ?? MIGRATIONS_DIR,
        // node-pg-migrate would try to import every other file (README.md) as a JavaScript migration.
        ignorePattern: IGNORED_FILES,
        migrationsTable: MIGRATIONS_TABLE,
        direction: 'up',
        checkOrder: true,
        singleTransaction: true,
        noLock: true,
        logger: migrationLogger(logger),
      });
      const schemaVersion = await readSchemaVersion(client);
      logger.info({ applied: applied.map((m) => m.name), schemaVersion }, 'database schema is up to date');
      return { applied: applied.map((m) => m.name), schemaVersion };
    } finally {
      // Ending the session releases the lock anyway; a failed unlock must not hide the real error.
      await client
        .query('SELECT pg_advisory_unlock($1::bigint)', [MIGRATION_LOCK_KEY])
        .catch((error: unknown) => logger.warn({ err: error }, 'could not release the migration lock'));
    }
  } finally {
    await client.end();
  }
}

async function acquireLock(client: pg.Client, timeoutMs: number): Promise<void> {
  // lock_timeout bounds pg_advisory_lock; reset afterwards so it does not also cap the DDL.
  await client.query(`SELECT set_config('lock_timeout', $1, false)`, [`${timeoutMs}ms`]);
  await client.query('SELECT pg_advisory_lock($1::bigint)', [MIGRATION_LOCK_KEY]);
  await client.query('RESET lock_timeout');
}

export interface Queryable {
  query<R extends pg.QueryResultRow>(text: string, values?: unknown[]): Promise<pg.QueryResult<R>>;
}

/** The highest version recorded in leadscore_schema_version; 0 on a database never migrated. */
export async function readSchemaVersion(db: Queryable): Promise<number> {
  const exists = await db.query<{ present: boolean }>(
    `SELECT to_regclass('leadscore_schema_version') IS NOT NULL AS present`,
  );
  if (!exists.rows[0]?.present) return 0;
  const result = await db.query<{ version: number | null }>(
    'SELECT max(version) AS version FROM leadscore_schema_version',
  );
  return result.rows[0]?.version ?? 0;
}

/** The schema version this build expects: the highest NNNN prefix among the migration files. */
export async function expectedSchemaVersion(dir: string = MIGRATIONS_DIR): Promise<number> {
  const versions = (await readdir(dir))
    .map((name) => MIGRATION_FILE.exec(name)?.[1])
    .filter((prefix) => prefix !== undefined)
    .map(Number);
  return Math.max(0, ...versions);
}

/**
 * node-pg-migrate reads the numeric prefix as a timestamp and complains at error level when it
 * is not 13 or 17 digits long; with NNNN it still orders files by that number, which is all we
 * use it for, so that one complaint is demoted to debug.
 */
function migrationLogger(logger: Logger) {
  return {
    debug: (message: string) => logger.debug(message),
    info: (message: string) => logger.info(message),
    warn: (message: string) => logger.warn(message),
    error: (message: string) =>
      message.startsWith("Can't determine timestamp for") ? logger.debug(message) : logger.error(message),
  };
}
