import { afterAll, beforeAll, expect, it } from 'vitest';
import { type ScoreChangedMessage, scoreChangedMessageSchema } from '../../packages/contracts/src/index.js';
import { foldEvents } from '../../packages/scoring/src/index.js';
import { kafkaBrokers, uniqueTopicPrefix, useTestDatabase } from '../support/infra.js';
import { seededRandom } from '../support/seeded-random.js';
import { canonicalScore, expectClose, globalPositions, ruleset } from './support/expectations.js';
import { appendActivities, groupByLead, makeJourneys, scoringEventOf } from './support/lead-journeys.js';
import { leadScoreRows, outboxSize, scoringProgress } from './support/lead-scores-table.js';
import { metricValue } from './support/metric-value.js';
import { type ScoringUnderTest, startScoring } from './support/scoring-harness.js';
import { type CollectedTopic, collectTopic, eventually } from './support/topic-collector.js';

const database = useTestDatabase();
const seed = Number(process.env.SCORING_TEST_SEED ?? Date.now() % 100_000);
let scoring: ScoringUnderTest;
let scoreChanged: CollectedTopic;

// 40 leads x 30 events, every 4th event of a lead arriving after later ones.
const activities = makeJourneys('match', 40, 30, seededRandom(seed), 4);
const byLead = groupByLead(activities);

beforeAll(async () => {
  scoring = await startScoring({
    databaseUrl: database().url,
    brokers: kafkaBrokers(),
    topicPrefix: uniqueTopicPrefix(),
  });
  scoreChanged = await collectTopic(scoring.bus, scoring.topics.scoreChanged);
  await appendActivities(scoring.pool, activities);
  await scoring.startRelay();
  await eventually(
    async () => {
      const { caughtUp, leads } = await scoringProgress(scoring.pool);
      return leads === byLead.size && caughtUp === leads;
    },
    async () => `seed ${seed}: ${JSON.stringify(await scoringProgress(scoring.pool))}`,
    90_000,
  );
  await eventually(
    async () =>
      (await outboxSize(scoring.pool)) === 0 &&
      scoreChanged.messages.length >=
        (await metricValue(scoring.metrics, 'leadscore_scoring_messages_published_total', {
          topic: scoring.topics.scoreChanged,
        })),
    () => `seed ${seed}: ${scoreChanged.messages.length} score-changed messages collected`,
  );
}, 150_000);

afterAll(async () => {
  await scoring?.close();
});

it('lead_scores holds the engine canonical score and state of each lead', async () => {
  const rows = await leadScoreRows(scoring.pool);
  expect(rows.size).toBe(byLead.size);
  for (const [leadId, events] of byLead) {
    const row = rows.get(leadId)!;
    const expected = canonicalScore(events);
    const what = `seed ${seed} lead ${leadId}`;
    expectClose(row.engagement, expected.engagement, `${what} engagement`);
    expectClose(row.fit, expected.fit, `${what} fit`);
    expectClose(row.total, expected.total, `${what} total`);
    expect({ grade: row.grade, temperature: row.temperature, at: row.scoredAt }).toEqual({
      grade: expected.grade,
      temperature: expected.temperature,
      at: expected.at,
    });
    expect(row.state, what).toEqual(foldEvents(events.map(scoringEventOf), ruleset));
    expect(row.source).toBe(events[0]!.data.source?.utmSource);
  }
  // The held-back events made the engine report late events: those leads were recomputed.
  expect(
    await metricValue(scoring.metrics, 'leadscore_scoring_recomputes_total', { reason: 'late' }),
  ).toBeGreaterThan(0);
});

it('publishes a valid score-changed message per change, each equal to the engine score of the events up to it', async () => {
  const positions = await globalPositions(scoring.pool);
  const messages: ScoreChangedMessage[] = scoreChanged.messages.map((message) => {
    const value = scoreChangedMessageSchema.parse(JSON.parse(message.value.toString('utf8')));
    expect(message.key).toBe(value.leadId);
    return value;
  });
  expect(messages.length).toBeGreaterThan(byLead.size);

  const lastPosition = new Map<string, bigint>();
  for (const message of messages) {
    const position = BigInt(message.globalPosition);
    // Per lead, messages arrive in the order the events were applied.
    expect(position > (lastPosition.get(message.leadId) ?? -1n)).toBe(true);
    lastPosition.set(message.leadId, position);
    expect(message.rulesetVersion).toBe(1);
    if (message.recomputed) continue;

    const events = byLead.get(message.leadId)!;
    const scoredAt = Date.parse(message.scoredAt);
    const upTo = events.filter((event) => positions.get(event.id)! <= position);
    const before = upTo.filter((event) => positions.get(event.id)! < position);
    const expected = canonicalScore(upTo, scoredAt);
    const what = `seed ${seed} message of ${message.leadId} at ${position}`;
    expectClose(message.new.total, expected.total, `${what} new total`);
    expectClose(message.new.engagement, expected.engagement, `${what} new engagement`);
    expect(message.new.grade).toBe(expected.grade);
    expect(message.new.temperature).toBe(expected.temperature);
    expect(message.signals.twoWay).toBe(expected.twoWay);
    if (before.length === 0) {
      expect(message.old).toBeNull();
    } else {
      expectClose(message.old!.total, canonicalScore(before, scoredAt).total, `${what} old total`);
    }
  }
  // Every lead's first event produced its first message.
  expect(new Set(messages.map((message) => message.leadId)).size).toBe(byLead.size);
});

it('redelivering every lead event changes nothing and publishes nothing', async () => {
  const rowsBefore = await leadScoreRows(scoring.pool);
  const publishedBefore = await metricValue(scoring.metrics, 'leadscore_scoring_messages_published_total');
  const alreadyBefore = await metricValue(scoring.metrics, 'leadscore_scoring_events_total', {
    outcome: 'already-applied',
  });

  // A second relay with a checkpoint of its own publishes the whole store again.
  await scoring.startRelay('relay-again');
  await eventually(
    async () =>
      (await metricValue(scoring.metrics, 'leadscore_scoring_events_total', { outcome: 'already-applied' })) -
        alreadyBefore >=
      activities.length,
    () => `seed ${seed}: redelivered events not all consumed yet`,
    90_000,
  );

  expect(await leadScoreRows(scoring.pool)).toEqual(rowsBefore);
  expect(await metricValue(scoring.metrics, 'leadscore_scoring_messages_published_total')).toBe(
    publishedBefore,
  );
  expect(await outboxSize(scoring.pool)).toBe(0);
});
