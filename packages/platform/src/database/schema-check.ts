import type { Logger } from '../logger.js';
import { expectedSchemaVersion, type Queryable, readSchemaVersion, runMigrations } from './migrations.js';

export class SchemaOutdatedError extends Error {
  readonly code = 'SCHEMA_OUTDATED';
  override readonly name = 'SchemaOutdatedError';

  constructor(
    readonly actualVersion: number,
    readonly expectedVersion: number,
  ) {
    super(
      `database schema is at version ${actualVersion}, this build needs ${expectedVersion}: ` +
        'run `pnpm migrate` or start with MIGRATE_ON_START=true',
    );
  }
}

export interface SchemaSettings {
  readonly databaseUrl: string;
  readonly migrateOnStart: boolean;
  readonly db: Queryable;
  readonly logger: Logger;
}

/**
 * Migrates, or (with MIGRATE_ON_START=false) verifies that someone did: a service must fail
 * at start with a clear message rather than later with "relation does not exist".
 */
export async function ensureSchema(settings: SchemaSettings): Promise<number> {
  if (settings.migrateOnStart) {
    const { schemaVersion } = await runMigrations({
      databaseUrl: settings.databaseUrl,
      logger: settings.logger,
    });
    return schemaVersion;
  }
  const [actual, expected] = await Promise.all([readSchemaVersion(settings.db), expectedSchemaVersion()]);
  if (actual < expected) throw new SchemaOutdatedError(actual, expected);
  settings.logger.info({ schemaVersion: actual }, 'database schema is up to date');
  return actual;
}
