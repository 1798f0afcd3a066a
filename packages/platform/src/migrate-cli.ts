/**
 * `pnpm migrate`: applies pending migrations to DATABASE_URL. Only the variables it uses are
 * required, validated by the same schema the services use.
 */
import { envSchema } from './config/env-schema.js';
import { exitOnConfigError } from './config/exit-on-config-error.js';
import { parseEnv } from './config/parse-env.js';
import { DatabaseUnreachableError } from './database/database-unreachable.js';
import { runMigrations } from './database/migrations.js';
import { createLogger } from './logger.js';

const env = exitOnConfigError(() =>
  parseEnv(envSchema.pick({ DATABASE_URL: true, LOG_LEVEL: true }), process.env, 'leadscore migrate'),
);
const logger = createLogger({ service: 'migrate', level: env.LOG_LEVEL });
try {
  const { applied, schemaVersion } = await runMigrations({ databaseUrl: env.DATABASE_URL, logger });
  logger.info({ applied: applied.length, schemaVersion }, 'migrations done');
} catch (error) {
  if (error instanceof DatabaseUnreachableError) {
    // Nothing ran, so there is nothing rolled back to speak of, and the driver's stack adds nothing.
    logger.fatal(
      { database: error.database, reason: error.reason },
      `${error.message}; nothing was migrated`,
    );
  } else {
    logger.fatal({ err: error }, 'migration failed; the failed run was rolled back');
  }
  process.exitCode = 1;
}
