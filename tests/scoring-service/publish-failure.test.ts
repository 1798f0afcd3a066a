import { afterAll, beforeAll, expect, it } from 'vitest';
import { scoreChangedMessageSchema } from '../../packages/contracts/src/index.js';
import type { Bus } from '../../packages/kafka/src/index.js';
import { kafkaBrokers, uniqueTopicPrefix, useTestDatabase } from '../support/infra.js';
import { seededRandom } from '../support/seeded-random.js';
import { appendActivities, groupByLead, makeJourneys } from './support/lead-journeys.js';
import { leadScoreRows, outboxSize, scoringProgress } from './support/lead-scores-table.js';
import { metricValue } from './support/metric-value.js';
import { type ScoringUnderTest, startScoring } from './support/scoring-harness.js';
import { type CollectedTopic, collectTopic, eventually } from './support/topic-collector.js';

const database = useTestDatabase();
const prefix = uniqueTopicPrefix();
let scoring: ScoringUnderTest;
let scoreChanged: CollectedTopic;
let failuresLeft = 2;

/**
 * The window between the database commit and the publish: the first publishes of score changes
 * fail after the batch's transaction committed. Without the outbox those messages would be lost,
 * because the redelivered events are already applied and fold to nothing.
 */
function failingFirstPublishes(bus: Bus): Bus {
  return {
    ...bus,
    publish: async (topic, messages) => {
      if (topic.endsWith('leadscore.score-changed.v1') && failuresLeft > 0) {
        failuresLeft -= 1;
        throw new Error('simulated broker outage after the scoring transaction committed');
      }
      return bus.publish(topic, messages);
    },
    subscribe: (options) => bus.subscribe(options),
    ensureTopics: (topics) => bus.ensureTopics(topics),
    healthCheck: () => bus.healthCheck(),
    close: () => bus.close(),
  };
}

const activities = makeJourneys('outage', 12, 10, seededRandom(7));

beforeAll(async () => {
  scoring = await startScoring({
    databaseUrl: database().url,
    brokers: kafkaBrokers(),
    topicPrefix: prefix,
    wrapBus: failingFirstPublishes,
  });
  scoreChanged = await collectTopic(scoring.bus, scoring.topics.scoreChanged);
  await appendActivities(scoring.pool, activities);
  await scoring.startRelay();
}, 120_000);

afterAll(async () => {
  await scoring?.close();
});

it('score changes whose publish failed after the commit are published from the outbox', async () => {
  const leads = groupByLead(activities);
  await eventually(
    async () => {
      const { caughtUp } = await scoringProgress(scoring.pool);
      return caughtUp === leads.size && (await outboxSize(scoring.pool)) === 0;
    },
    async () =>
      `${JSON.stringify(await scoringProgress(scoring.pool))}, outbox ${await outboxSize(scoring.pool)}`,
  );
  expect(failuresLeft).toBe(0);
  // Batches handed over together share a publish, and a failed shared publish is retried batch by
  // batch: two failed publishes redeliver one batch or more (two when each batch publishes alone).
  expect(await metricValue(scoring.metrics, 'leadscore_scoring_batch_failures_total')).toBeGreaterThanOrEqual(
    1,
  );

  const published = await metricValue(scoring.metrics, 'leadscore_scoring_messages_published_total', {
    topic: scoring.topics.scoreChanged,
  });
  await eventually(
    () => scoreChanged.messages.length >= published,
    () => `${scoreChanged.messages.length} of ${published} collected`,
  );
  const messages = scoreChanged.values().map((value) => scoreChangedMessageSchema.parse(value));
  // Every lead's latest change reached Kafka and says what lead_scores holds.
  const rows = await leadScoreRows(scoring.pool);
  for (const [leadId, row] of rows) {
    const last = messages.filter((message) => message.leadId === leadId).at(-1);
    expect(last, leadId).toBeDefined();
    if (last!.globalPosition === row.lastGlobalPosition) expect(last!.new.total).toBe(row.total);
  }
  // Per lead, the changes were published in order, each position once or more but never out of order.
  const seen = new Map<string, bigint>();
  for (const message of messages) {
    const position = BigInt(message.globalPosition);
    expect(position >= (seen.get(message.leadId) ?? -1n)).toBe(true);
    seen.set(message.leadId, position);
  }
});
