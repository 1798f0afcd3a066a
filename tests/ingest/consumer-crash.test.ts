import { afterAll, beforeAll, expect, it } from 'vitest';
import { kafkaBrokers, uniqueTopicPrefix, useTestDatabase } from '../support/infra.js';
import {
  eventually,
  expectedStreams,
  idsByStream,
  makeActivityEvents,
  storedCount,
  storedEvents,
} from './support/activity-events.js';
import { INGEST_KEY, type IngestUnderTest, startIngest } from './support/ingest-harness.js';
import { type SpawnedConsumer, spawnConsumer } from './support/spawned-consumer.js';
import { postEvents } from './support/webhook-client.js';

const database = useTestDatabase();
const prefix = uniqueTopicPrefix();
let webhook: IngestUnderTest;
const running = new Set<SpawnedConsumer>();

beforeAll(async () => {
  // Webhook only: the consumer under test runs in child processes.
  webhook = await startIngest({
    databaseUrl: database().url,
    brokers: kafkaBrokers(),
    topicPrefix: prefix,
    env: { INGEST_RUN_CONSUMER: 'false' },
  });
});

afterAll(async () => {
  for (const consumer of running) await consumer.kill('SIGKILL');
  await webhook?.close();
});

function startConsumer(pauseAfterAppendMs: number): SpawnedConsumer {
  const consumer = spawnConsumer({
    KAFKA_BROKERS: kafkaBrokers().join(','),
    DATABASE_URL: database().url,
    TOPIC_PREFIX: prefix,
    PAUSE_AFTER_APPEND_MS: String(pauseAfterAppendMs),
  });
  running.add(consumer);
  return consumer;
}

it('a consumer killed mid-batch and restarted loses and duplicates nothing', {
  timeout: 240_000,
}, async () => {
  const events = makeActivityEvents(3_000, 60, 'crash');
  const posted: { event: (typeof events)[number]; id: string }[] = [];
  for (let start = 0; start < events.length; start += 100) {
    const batch = events.slice(start, start + 100);
    const response = await postEvents(webhook.url, JSON.stringify({ events: batch }), {
      apiKey: INGEST_KEY,
      contentType: 'application/json',
    });
    expect(response.status).toBe(202);
    const ids = response.body.ids as string[];
    for (const [i, event] of batch.entries()) posted.push({ event, id: ids[i]! });
  }

  // 1. Killed after a batch's transaction committed, before its offsets were committed.
  const first = startConsumer(2_000);
  await first.waitForLine('appended');
  await first.kill('SIGKILL');
  const afterFirstKill = await storedCount(webhook.pool);
  expect(afterFirstKill).toBeGreaterThan(0);
  expect(afterFirstKill).toBeLessThan(events.length);

  // 2. Killed while a batch is being appended: the open transaction dies with the process.
  const second = startConsumer(0);
  await second.waitForLine('appending', 2);
  await second.kill('SIGKILL');

  // 3. Restarted for good: it must end with every event exactly once.
  const last = startConsumer(0);
  await eventually(
    async () => (await storedCount(webhook.pool)) >= events.length,
    async () => `${await storedCount(webhook.pool)} of ${events.length} events stored`,
    120_000,
  );
  // Linger so a duplicate, if the consumer were to write one, would have time to land.
  await new Promise((resolve) => setTimeout(resolve, 2_000));

  // The batch committed before the first kill was delivered again and recognised as stored.
  const skipped = [...second.lines(), ...last.lines()].map((line) =>
    Number(/skipped (\d+)/.exec(line)?.[1] ?? 0),
  );
  expect(Math.max(...skipped)).toBeGreaterThan(0);

  const rows = await storedEvents(webhook.pool);
  expect(rows).toHaveLength(events.length);
  expect(new Set(rows.map((row) => row.eventId))).toEqual(new Set(posted.map(({ id }) => id)));
  expect(idsByStream(rows)).toEqual(expectedStreams(posted));
});
