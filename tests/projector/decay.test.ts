import { afterAll, beforeAll, expect, it } from 'vitest';
import type { AllSubscription } from '../../packages/eventstore/src/index.js';
import {
  compileRuleset,
  defaultRuleset,
  foldEvents,
  nextCrossing,
  parseRulesetOrThrow,
  type ScoringEvent,
  scoreAt,
} from '../../packages/scoring/src/index.js';
import { fixedRulesetCatalog } from '../../services/projector/src/index.js';
import { claimDueChecksSql } from '../../services/projector/src/stages/lead-stage-table.js';
import { kafkaBrokers, uniqueTopicPrefix, useTestDatabase } from '../support/infra.js';
import { type Activity, recordJourney } from './support/lead-journey.js';
import {
  counterValue,
  type ProjectorUnderTest,
  startProjector,
  startStageRelay,
} from './support/projector-harness.js';
import { HOUR, iso, publishScoreChanges, vpTraits } from './support/publish.js';
import { moves, stageReadModel, storedStageChanges } from './support/stage-store.js';
import { eventually, readStageTopic, type StageTopic, settle } from './support/stage-topic.js';

// The default ruleset with demotion switched on: sql falls back to mql below 90, mql to recycled below 40.
const demotion = parseRulesetOrThrow({
  ...defaultRuleset,
  id: 'demotion',
  stages: { ...defaultRuleset.stages, demotion: { enabled: true, hysteresis: 10 } },
});
const ruleset = compileRuleset(demotion);
const T = Date.UTC(2026, 2, 2, 9);
const activities: Activity[] = [
  { type: 'profile.updated', at: T, traits: vpTraits },
  { type: 'form.submitted', at: T + HOUR, properties: { form: 'demo-request' } },
  { type: 'form.submitted', at: T + 2 * HOUR, properties: { form: 'contact' } },
  { type: 'webinar.attended', at: T + 3 * HOUR },
];

// When the engine says the lead's total, decaying from its last event, falls below each line.
const scoringEvents: ScoringEvent[] = activities.map((activity, i) => ({
  id: `decaying-activity-${i}`,
  type: activity.type,
  occurredAt: activity.at,
  ...(activity.properties ? { properties: activity.properties } : {}),
  traits: { email: 'decaying@acme.io', ...activity.traits },
}));
const finalState = foldEvents(scoringEvents, ruleset);
const crossingBelow = (line: number) => nextCrossing(finalState, [line], T + 3 * HOUR, ruleset)!.at;

const database = useTestDatabase();
let clock = T + 3 * HOUR;
let projector: ProjectorUnderTest;
let relay: AllSubscription;
let topic: StageTopic;
let journey: Awaited<ReturnType<typeof recordJourney>>;

beforeAll(async () => {
  projector = await startProjector({
    databaseUrl: database().url,
    brokers: kafkaBrokers(),
    topicPrefix: uniqueTopicPrefix(),
    projector: { now: () => clock, rulesets: fixedRulesetCatalog([demotion]), decayCheckIntervalMs: 50 },
  });
  relay = await startStageRelay(projector);
  topic = await readStageTopic(projector.bus, projector.topics.stageChanged);
});

afterAll(async () => {
  await relay?.stop();
  await projector?.close();
});

const nextCheckAt = async () =>
  (await stageReadModel(projector.pool, 'decaying')).lead?.next_check_at?.getTime();

it('demotes a lead exactly when decay carries its score across the line, not before, as the clock says', async () => {
  journey = await recordJourney(
    projector.pool,
    { id: 'decaying', email: 'decaying@acme.io' },
    activities,
    ruleset,
  );
  await publishScoreChanges(projector.bus, projector.topics.scoreChanged, journey.scoreChanges);
  await eventually(
    () => topic.forLead('decaying').length === 2,
    () => `${topic.forLead('decaying').length} stage changes published`,
  );
  expect(moves(topic.forLead('decaying').map((change) => change.body))).toEqual(['lead->mql', 'mql->sql']);
  // The first check is where the total falls below 100: still sql, inside the hysteresis band.
  expect(await nextCheckAt()).toBe(crossingBelow(100));

  const below90 = crossingBelow(90);
  expect(scoreAt(finalState, below90 - 1, ruleset).total).toBeGreaterThanOrEqual(90);
  expect(scoreAt(finalState, below90, ruleset).total).toBeLessThan(90);

  // A millisecond before the crossing: the check at 100 runs and changes nothing; the next waits.
  clock = below90 - 1;
  await eventually(
    async () => (await nextCheckAt()) === below90,
    async () => `next check at ${await nextCheckAt()}, expected ${below90}`,
  );
  await settle(500);
  expect(topic.forLead('decaying')).toHaveLength(2);

  clock = below90;
  await eventually(
    () => topic.forLead('decaying').length === 3,
    () => `${topic.forLead('decaying').length} stage changes published`,
  );
  const demoted = topic.forLead('decaying')[2]!;
  expect(demoted.body).toMatchObject({
    from: 'sql',
    to: 'mql',
    reason: 'decay',
    occurredAt: iso(below90),
    triggeringEventId: null,
    rulesetId: 'demotion',
    grade: 'A',
  });
  expect(demoted.body.score.total).toBeCloseTo(scoreAt(finalState, below90, ruleset).total, 9);
  expect(demoted.attributes.time).toBe(iso(below90));
  expect((await storedStageChanges(projector.pool, 'decaying')).map((event) => event.eventId)).toContain(
    demoted.attributes.id,
  );
  expect(await nextCheckAt()).toBe(crossingBelow(50));
});

it('keeps the temperature current as decay crosses a band, without a stage change', async () => {
  const below50 = crossingBelow(50);
  clock = below50 - 1;
  await settle(300);
  expect((await stageReadModel(projector.pool, 'decaying')).lead?.temperature).toBe('hot');

  clock = below50;
  await eventually(
    async () => (await stageReadModel(projector.pool, 'decaying')).lead?.temperature === 'warm',
    async () => `temperature ${(await stageReadModel(projector.pool, 'decaying')).lead?.temperature}`,
  );
  expect(await nextCheckAt()).toBe(crossingBelow(40));
  expect(topic.forLead('decaying')).toHaveLength(3);
});

it('recycles the lead below the mql band, and redelivered old score changes do not bring it back', async () => {
  clock = crossingBelow(40);
  await eventually(
    () => topic.forLead('decaying').length === 4,
    () => `${topic.forLead('decaying').length} stage changes published`,
  );
  expect(topic.forLead('decaying')[3]?.body).toMatchObject({
    from: 'mql',
    to: 'recycled',
    reason: 'decay',
    occurredAt: iso(crossingBelow(40)),
  });

  // The demo request's score change (75 points) would qualify a recycled lead again if it were
  // decided on anew; it is recognised as already decided instead.
  const { scoreChanges } = journey;
  const duplicates = () =>
    counterValue(projector.metrics, 'leadscore_projector_score_changes_total', { outcome: 'duplicate' });
  const before = await duplicates();
  await publishScoreChanges(projector.bus, projector.topics.scoreChanged, scoreChanges);
  await eventually(
    async () => (await duplicates()) === before + scoreChanges.length,
    () => 'the redelivered score changes to be consumed',
  );
  await settle(1_000);
  expect(moves(topic.forLead('decaying').map((change) => change.body))).toEqual([
    'lead->mql',
    'mql->sql',
    'sql->mql',
    'mql->recycled',
  ]);
  expect((await stageReadModel(projector.pool, 'decaying')).lead?.stage).toBe('recycled');
});

it('finds due checks through the schedule index, not by reading every lead', async () => {
  // 20,000 leads scheduled far ahead: a due-check round must not read them.
  await projector.pool.query(
    `INSERT INTO lead_stages (lead_id, stage, ruleset_id, ruleset_version, engagement, fit, total, grade,
                              temperature, two_way, score_at, next_check_at)
     SELECT 'scheduled-' || i, 'lead', 'demotion', 1, 0, 0, 0, 'F', 'cold', false, now(),
            timestamptz '2100-01-01' + i * interval '1 minute'
       FROM generate_series(1, 20000) AS i`,
  );
  await projector.pool.query('ANALYZE lead_stages');
  const { rows } = await projector.pool.query<{ 'QUERY PLAN': string }>(`EXPLAIN ${claimDueChecksSql}`, [
    new Date(clock),
    100,
  ]);
  const plan = rows.map((row) => row['QUERY PLAN']).join('\n');
  expect(plan).toMatch(/Index Scan using lead_stages_due/);
  expect(plan).not.toMatch(/Seq Scan/);
});
