import type pg from 'pg';
import { resetReadModels } from '../../../scripts/rebuild/reset-read-models.js';
import type { ServicePipeline } from './service-pipeline.js';

/** The read models the store can give back, and how each is compared (volatile columns left out). */
const READ_MODELS = {
  lead_scores: `SELECT lead_id, email, engagement, fit, total, grade, temperature, two_way_at, scored_at, state,
                       last_global_position, last_event_id, ruleset_id, ruleset_version, next_crossing_at,
                       first_touch, last_touch
                  FROM lead_scores ORDER BY lead_id`,
  lead_stages: `SELECT lead_id, email, stage, since, ruleset_id, ruleset_version, engagement, fit, total, grade,
                       temperature, two_way, score_at, last_position, next_check_at
                  FROM lead_stages ORDER BY lead_id`,
  lead_stage_history: 'SELECT * FROM lead_stage_history ORDER BY lead_id, stream_position',
} as const;

export type ReadModelSnapshot = Record<keyof typeof READ_MODELS, unknown[]>;

export async function snapshotReadModels(pool: pg.Pool): Promise<ReadModelSnapshot> {
  const snapshot = {} as ReadModelSnapshot;
  for (const [table, sql] of Object.entries(READ_MODELS)) {
    snapshot[table as keyof ReadModelSnapshot] = (await pool.query(sql)).rows;
  }
  return snapshot;
}

/**
 * Rebuilds every read model from the event store, the operator's procedure of docs/OPERATIONS.md:
 * stop the services that write them (ingest hosts the relay; scoring; the projector), empty the
 * read models and rewind the relay (`pnpm rebuild-read-models`), start the services again. The
 * caller then waits for the pipeline to be quiet.
 */
export async function rebuildReadModels(pipeline: ServicePipeline, pool: pg.Pool): Promise<void> {
  for (const service of ['ingest', 'scoring', 'projector'] as const) await pipeline.stop(service);
  await resetReadModels(pool);
  for (const service of ['ingest', 'scoring', 'projector'] as const) await pipeline.startService(service);
}
