import type pg from 'pg';
import type { ServicePipeline } from './service-pipeline.js';

/** The read models the store can give back, and how each is compared (volatile columns left out). */
export const READ_MODELS = {
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
 * Rebuilds every read model from the event store, the operator's procedure:
 * 1. stop the services that write them (ingest hosts the relay; scoring; the projector);
 * 2. empty the read models and the scoring outbox, and rewind the relay (its checkpoint in
 *    eventstore.subscriber_checkpoints), in one transaction;
 * 3. start the services again: the relay publishes the whole store once more, to the ends of
 *    the topics, where scoring and the projector (consumer offsets untouched) find it and build
 *    their tables anew. Stage changes go out again with their original ids, which CRMs dedupe.
 * The caller then waits for the pipeline to be quiet.
 */
export async function rebuildReadModels(pipeline: ServicePipeline, pool: pg.Pool): Promise<void> {
  for (const service of ['ingest', 'scoring', 'projector'] as const) await pipeline.stop(service);
  const client = await pool.connect();
  try {
    await client.query('BEGIN');
    await client.query('TRUNCATE lead_scores, scoring_outbox, lead_stages, lead_stage_history');
    await client.query(`DELETE FROM eventstore.subscriber_checkpoints WHERE subscriber = 'relay'`);
    await client.query('COMMIT');
  } catch (error) {
    await client.query('ROLLBACK');
    throw error;
  } finally {
    client.release();
  }
  for (const service of ['ingest', 'scoring', 'projector'] as const) await pipeline.startService(service);
}
