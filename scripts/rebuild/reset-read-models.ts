import type pg from 'pg';

/**
 * The read models the event store can give back, emptied by a rebuild. The scoring and rescoring
 * outboxes go with lead_scores: their rows are score changes of the scores being thrown away.
 */
export const REBUILT_TABLES = [
  'lead_scores',
  'scoring_outbox',
  'rescoring_outbox',
  'lead_stages',
  'lead_stage_history',
] as const;

/** The subscriber whose checkpoint is rewound, so the whole store is published again. */
const RELAY_SUBSCRIBER = 'relay';

/**
 * Services that write the read models or relay the store (application_name, set by runService).
 * The api only reads, and may keep serving (empty answers while the rebuild runs).
 */
const READ_MODEL_WRITERS = [
  'leadscore-ingest',
  'leadscore-scoring',
  'leadscore-projector',
  'leadscore-quickstart',
] as const;

export class RebuildRefusedError extends Error {
  override readonly name = 'RebuildRefusedError';
}

export interface ResetSummary {
  readonly tables: readonly string[];
  readonly events: number;
}

/**
 * Step 2 of the rebuild (docs/OPERATIONS.md): empties the read models and rewinds the relay, in one
 * transaction. Refuses, changing nothing, while a writer is connected to the database or a
 * rescoring job is running: a writer would keep filling the tables being emptied, and a job would
 * mix its version into the rebuilt scores.
 */
export async function resetReadModels(
  pool: pg.Pool,
  options: { readonly waitForWritersMs?: number } = {},
): Promise<ResetSummary> {
  await waitForWritersToLeave(pool, options.waitForWritersMs ?? 10_000);
  const client = await pool.connect();
  try {
    await client.query('BEGIN');
    // Held to the commit: a writer that starts now waits behind the truncation.
    await client.query(`LOCK TABLE ${REBUILT_TABLES.join(', ')} IN ACCESS EXCLUSIVE MODE`);
    await refuseWhileWritersRun(client);
    await refuseToLoseManualStageChanges(client);
    await client.query(`TRUNCATE ${REBUILT_TABLES.join(', ')}`);
    await client.query('DELETE FROM eventstore.subscriber_checkpoints WHERE subscriber = $1', [
      RELAY_SUBSCRIBER,
    ]);
    const { rows } = await client.query<{ events: string }>(
      'SELECT count(*) AS events FROM eventstore.messages',
    );
    await client.query('COMMIT');
    return { tables: REBUILT_TABLES, events: Number(rows[0]?.events ?? 0) };
  } catch (error) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw error;
  } finally {
    client.release();
  }
}

/**
 * The projector rebuilds the stage tables by deciding again on the scores the scorer publishes:
 * a move a person made (disqualify, recycle, accept) is in the store but no score brings it back,
 * so the rebuilt tables would lack it, and the projector could decide moves it had prevented (a
 * disqualified lead promoted) and publish them to CRMs. Until the projector replays stored manual
 * moves, a store that holds any is not rebuilt; lead_scores alone can be (`leadscore replay`).
 * One pass over the log, in an offline operation.
 */
async function refuseToLoseManualStageChanges(client: pg.PoolClient): Promise<void> {
  const { rows } = await client.query<{ manual: number }>(
    `SELECT count(*)::int AS manual FROM eventstore.messages
      WHERE type = 'LeadStageChanged' AND data->>'reason' = 'manual'`,
  );
  const manual = rows[0]?.manual ?? 0;
  if (manual > 0) {
    throw new RebuildRefusedError(
      `the event store holds ${manual} stage change(s) made by hand (disqualify, recycle, accept); the ` +
        'projector rebuilds stages from scores only and would lose them. Nothing was changed. To rebuild ' +
        'lead_scores alone, run `leadscore replay` (POST /v1/rescoring) while the services run.',
    );
  }
}

/**
 * A service that has just stopped can still be listed for a moment, until its backends notice the
 * closed sockets; a running one stays, and is refused below.
 */
async function waitForWritersToLeave(pool: pg.Pool, waitMs: number): Promise<void> {
  const deadline = Date.now() + waitMs;
  while ((await connectedWriters(pool)).length > 0 && Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

async function connectedWriters(db: pg.Pool | pg.PoolClient): Promise<string[]> {
  const { rows } = await db.query<{ application_name: string; connections: string }>(
    `SELECT application_name, count(*) AS connections
       FROM pg_stat_activity
      WHERE datname = current_database() AND application_name = ANY($1::text[])
      GROUP BY application_name ORDER BY application_name`,
    [READ_MODEL_WRITERS],
  );
  return rows.map((row) => `${row.application_name} (${row.connections} connections)`);
}

async function refuseWhileWritersRun(client: pg.PoolClient): Promise<void> {
  const running = await connectedWriters(client);
  if (running.length > 0) {
    throw new RebuildRefusedError(
      `stop these services first; they are still connected: ${running.join(', ')}. Nothing was changed.`,
    );
  }
  const jobs = await client.query<{ job_id: string }>(
    `SELECT job_id FROM rescoring_jobs WHERE status = 'running' ORDER BY created_at`,
  );
  if (jobs.rows.length > 0) {
    throw new RebuildRefusedError(
      `rescoring job ${jobs.rows.map((row) => row.job_id).join(', ')} is still running; let it finish ` +
        '(GET /v1/rescoring/{jobId}) before rebuilding. Nothing was changed.',
    );
  }
}
