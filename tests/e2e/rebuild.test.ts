/**
 * The event store is the source of truth: dropping the read models (lead_scores, lead_stages,
 * lead_stage_history) and rebuilding them from the store ends with identical tables.
 */
import pg from 'pg';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { ActivityEventInput } from '../../packages/contracts/src/index.js';
import { createTestDatabase, kafkaBrokers, type TestDatabase, uniqueTopicPrefix } from '../support/infra.js';
import { postEvents } from './support/clients.js';
import { PipelineWatch, serviceGroups } from './support/quiescence.js';
import { rebuildReadModels, snapshotReadModels } from './support/rebuild.js';
import { ServicePipeline } from './support/service-pipeline.js';
import { chunk, syntheticEvents } from './support/synthetic-leads.js';

const DAY = 86_400_000;
const RUN_STARTED = Date.now();
const events = syntheticEvents({
  leads: 80,
  eventsPerLead: 25,
  end: RUN_STARTED - 10 * 60_000,
  spanMs: 10 * DAY,
  seed: 6,
  tag: 'rebuild',
});

/**
 * Arrival order as real tools produce it: every third lead's events come in reverse, so the
 * scorer meets late events and recomputes those leads from their streams.
 */
function arrivalOrder(all: readonly ActivityEventInput[]): ActivityEventInput[] {
  const late = (event: ActivityEventInput) => Number(event.lead.id!.split('-').pop()) % 3 === 0;
  return [...all.filter((event) => !late(event)), ...all.filter(late).reverse()];
}

let database: TestDatabase;
let pipeline: ServicePipeline;
let pool: pg.Pool;
let watch: PipelineWatch;

beforeAll(async () => {
  database = await createTestDatabase();
  const topicPrefix = uniqueTopicPrefix();
  pipeline = await ServicePipeline.start({ databaseUrl: database.url, brokers: kafkaBrokers(), topicPrefix });
  pool = new pg.Pool({ connectionString: database.url, max: 2 });
  watch = new PipelineWatch(kafkaBrokers(), pool, serviceGroups(topicPrefix, pipeline.topics));
  await watch.connect();
}, 240_000);

afterAll(async () => {
  await pipeline?.stopAll();
  await watch?.close().catch(() => undefined);
  await pool?.end();
  await database?.drop();
}, 60_000);

// On a timeout, what the services logged (warnings and errors) says which one stopped and why.
const untilQuiet = () =>
  watch.untilQuiet(240_000, () =>
    (['ingest', 'scoring', 'projector'] as const).map((service) => pipeline.logsOf(service)).join('\n'),
  );

it('rebuilds lead_scores, lead_stages and lead_stage_history from the store, identical to the live ones', async () => {
  for (const batch of chunk(arrivalOrder(events), 250)) await postEvents(pipeline.url('ingest'), batch);
  await untilQuiet();
  const live = await snapshotReadModels(pool);
  expect(live.lead_scores).toHaveLength(80);
  expect(live.lead_stage_history.length).toBeGreaterThan(10);
  // Decay checks run on the wall clock: none may fall due while the test runs, or the two
  // snapshots would be taken on either side of one.
  const { rows } = await pool.query<{ due: number }>(
    `SELECT count(*)::int AS due FROM lead_stages WHERE next_check_at < $1`,
    [new Date(RUN_STARTED + 30 * 60_000)],
  );
  expect(rows[0]!.due).toBe(0);

  await rebuildReadModels(pipeline, pool);
  await untilQuiet();

  const rebuilt = await snapshotReadModels(pool);
  expect(rebuilt.lead_scores).toEqual(live.lead_scores);
  expect(rebuilt.lead_stages).toEqual(live.lead_stages);
  expect(rebuilt.lead_stage_history).toEqual(live.lead_stage_history);
}, 600_000);
