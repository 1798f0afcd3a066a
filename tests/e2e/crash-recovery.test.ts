/**
 * Every service is killed once with SIGKILL while thousands of events flow through the pipeline,
 * and started again. Nothing accepted may be lost or counted twice: the final scores and stage
 * changes are exactly what the engine computes from the posted events, and no stage change is
 * published under two ids.
 */
import pg from 'pg';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createKafkaBus } from '../../packages/kafka/src/index.js';
import { createLogger } from '../../packages/platform/src/index.js';
import { compileRuleset, defaultRuleset } from '../../packages/scoring/src/index.js';
import { eventually, readStageTopic, type StageTopic } from '../projector/support/stage-topic.js';
import { createTestDatabase, kafkaBrokers, type TestDatabase, uniqueTopicPrefix } from '../support/infra.js';
import { streamsOutOfLogOrder } from '../support/log-order.js';
import { postEventsUntilAccepted } from './support/clients.js';
import {
  engineEventsByLead,
  scoreMismatches,
  stageMismatches,
  storedStageChanges,
} from './support/pipeline-outcome.js';
import { PipelineWatch, serviceGroups } from './support/quiescence.js';
import { type Service, ServicePipeline } from './support/service-pipeline.js';
import { chunk, syntheticEvents } from './support/synthetic-leads.js';

const ruleset = compileRuleset(defaultRuleset);
const DAY = 86_400_000;
// The 20,000 events: 400 leads with 50 events each, posted in batches of 500.
const LEADS = 400;
const EVENTS_PER_LEAD = 50;
const events = syntheticEvents({
  leads: LEADS,
  eventsPerLead: EVENTS_PER_LEAD,
  end: Date.now() - 10 * 60_000,
  spanMs: 12 * DAY,
  seed: 20_000,
  tag: 'crash',
});

let database: TestDatabase;
let pipeline: ServicePipeline;
let pool: pg.Pool;
let watch: PipelineWatch;
let topicPrefix: string;
const bus = createKafkaBus({
  brokers: kafkaBrokers(),
  clientId: 'e2e-crash-crm',
  logger: createLogger({ service: 'api', level: 'silent' }),
});
let crm: StageTopic;
const kills: string[] = [];

beforeAll(async () => {
  database = await createTestDatabase();
  topicPrefix = uniqueTopicPrefix();
  pipeline = await ServicePipeline.start({ databaseUrl: database.url, brokers: kafkaBrokers(), topicPrefix });
  pool = new pg.Pool({ connectionString: database.url, max: 2 });
  watch = new PipelineWatch(kafkaBrokers(), pool, serviceGroups(topicPrefix, pipeline.topics));
  await watch.connect();
  crm = await readStageTopic(bus, pipeline.topics.stageChanged);
}, 240_000);

afterAll(async () => {
  await pipeline?.stopAll();
  await bus.close();
  await watch?.close().catch(() => undefined);
  await pool?.end();
  await database?.drop();
}, 60_000);

/** Kills the service (SIGKILL) once `due` says its work is under way, and starts it again. */
async function crashWhen(service: Service, due: () => Promise<boolean>): Promise<void> {
  await eventually(due, () => `${service} never had work in flight to be killed in`, 240_000);
  kills.push(`${service} at ${JSON.stringify(await watch.progress())}`);
  await pipeline.kill(service);
  await pipeline.startService(service);
}

const midway = async (group: string, topic: string) => {
  const { committed, end } = await watch.groupPosition(group, topic);
  return committed > 0 && end > 1_000 && committed < end;
};

it(`ends with the engine's scores and stage changes when every service is SIGKILLed once during ${LEADS * EVENTS_PER_LEAD} events`, async () => {
  const [, scoringGroup, projectorGroup] = serviceGroups(topicPrefix, pipeline.topics);
  const chaos = [
    crashWhen('ingest', async () => (await watch.progress()).appendedEvents >= events.length / 5),
    crashWhen('scoring', () => midway(scoringGroup!.group, scoringGroup!.topic)),
    crashWhen('projector', () => midway(projectorGroup!.group, projectorGroup!.topic)),
    crashWhen('api', async () => (await watch.progress()).appendedEvents >= events.length / 2),
  ];
  const ids: string[] = [];
  for (const batch of chunk(events, 500))
    ids.push(...(await postEventsUntilAccepted(pipeline.url('ingest'), batch)));
  await Promise.all(chaos);
  expect(kills).toHaveLength(4);
  await watch.untilQuiet(480_000, () => `kills: ${kills.join('\n')}`);

  const byLead = engineEventsByLead(events, ids);
  const { rows } = await pool.query<{ n: number; distinct: number }>(
    `SELECT count(*)::int AS n, count(DISTINCT event_id)::int AS distinct FROM eventstore.messages WHERE stream_id LIKE 'lead-%' AND type <> 'LeadStageChanged'`,
  );
  expect(rows[0]).toEqual({ n: events.length, distinct: events.length });
  expect(await streamsOutOfLogOrder(pool)).toEqual([]);
  expect(await scoreMismatches(pool, byLead, ruleset)).toEqual([]);

  const stored = await storedStageChanges(pool);
  expect(stored.length).toBeGreaterThan(LEADS / 4);
  expect(stageMismatches(stored, byLead, ruleset)).toEqual([]);

  // A CRM sees every stored change, each move of a lead under one id only (copies keep that id).
  await eventually(
    () => new Set(crm.received.map(({ body }) => body.id)).size >= stored.length,
    () =>
      `${new Set(crm.received.map(({ body }) => body.id)).size} of ${stored.length} stage changes published`,
    60_000,
  );
  const idsByMove = new Map<string, Set<string>>();
  for (const { attributes, body } of crm.received) {
    expect(attributes.id).toBe(body.id);
    const move = `${body.leadId}:${body.from}->${body.to}`;
    idsByMove.set(move, (idsByMove.get(move) ?? new Set()).add(body.id));
  }
  expect([...idsByMove].filter(([, moveIds]) => moveIds.size > 1)).toEqual([]);
  expect(new Set(crm.received.map(({ body }) => body.id))).toEqual(
    new Set(stored.map((change) => change.eventId)),
  );
}, 900_000);
