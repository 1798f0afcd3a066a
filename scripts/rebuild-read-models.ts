/**
 * `pnpm rebuild-read-models`: step 2 of rebuilding the read models from the event store (the whole
 * procedure is in docs/OPERATIONS.md). Empties lead_scores, scoring_outbox, rescoring_outbox,
 * lead_stages and lead_stage_history and rewinds the relay, once the writing services are stopped;
 * starting them again rebuilds every table from the store. `--wait-for-writers=SECONDS` (default
 * 10): how long to wait for the services just stopped to leave the database before refusing.
 */
import {
  createLogger,
  createPool,
  envSchema,
  exitOnConfigError,
  parseEnv,
} from '../packages/platform/src/index.js';
import { exitWithUsage, parseCommandLine } from './lib/command-line.js';
import { RebuildRefusedError, resetReadModels } from './rebuild/reset-read-models.js';

const USAGE = `Usage: pnpm rebuild-read-models [--wait-for-writers=SECONDS]

Empties the read models and rewinds the relay, once ingest, scoring and the projector are stopped
(docs/OPERATIONS.md, "Rebuilding all read models"). Needs DATABASE_URL.

  --wait-for-writers=SECONDS  how long to wait for services just stopped to leave the database
                              before refusing (default 10)`;

// The command line first: a typo is answered with the usage whatever the environment holds.
const values = parseCommandLine(USAGE, { 'wait-for-writers': { type: 'string', default: '10' } });
const waitForWritersSeconds = Number(values['wait-for-writers']);
if (!Number.isFinite(waitForWritersSeconds) || waitForWritersSeconds < 0) {
  exitWithUsage(
    USAGE,
    `--wait-for-writers must be a number of seconds >= 0, got "${values['wait-for-writers']}"`,
  );
}
const env = exitOnConfigError(() =>
  parseEnv(
    envSchema.pick({ DATABASE_URL: true, LOG_LEVEL: true }),
    process.env,
    'leadscore rebuild-read-models',
  ),
);
const logger = createLogger({ service: 'rebuild-read-models', level: env.LOG_LEVEL });
const pool = createPool({
  connectionString: env.DATABASE_URL,
  applicationName: 'leadscore-rebuild',
  max: 1,
  statementTimeoutMs: 0,
  logger,
});
try {
  const { tables, events } = await resetReadModels(pool, { waitForWritersMs: waitForWritersSeconds * 1000 });
  logger.info(
    { tables, events },
    'read models emptied and the relay rewound; start ingest, scoring and projector to rebuild them',
  );
} catch (error) {
  if (error instanceof RebuildRefusedError) logger.error(error.message);
  else logger.fatal({ err: error }, 'rebuild failed; nothing was changed');
  process.exitCode = 1;
} finally {
  await pool.end();
}
