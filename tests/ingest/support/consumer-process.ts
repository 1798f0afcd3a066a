/**
 * The raw consumer alone in a process of its own, so a test can SIGKILL it mid-batch. Announces
 * on stdout, one line each, when a batch starts appending (`appending <n>`) and when its
 * transaction committed (`appended <n> skipped <k>`); after a commit it waits PAUSE_AFTER_APPEND_MS before
 * returning, which holds the process in the window between the database commit and the offset
 * commit: the window where a crash would duplicate events if appends were not idempotent.
 */
import { topics } from '../../../packages/contracts/src/index.js';
import { createKafkaBus } from '../../../packages/kafka/src/index.js';
import { createLogger, createMetricsRegistry, createPool } from '../../../packages/platform/src/index.js';
import { startActivityConsumer } from '../../../services/ingest/src/consumer/activity-consumer.js';
import { createActivityAppender } from '../../../services/ingest/src/consumer/store-activities.js';
import { createIngestMetrics } from '../../../services/ingest/src/metrics.js';

const env = (name: string): string => {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is required`);
  return value;
};

const logger = createLogger({ service: 'ingest', level: 'silent' });
const pool = createPool({
  connectionString: env('DATABASE_URL'),
  applicationName: 'leadscore-ingest-crash-test',
  max: 2,
  statementTimeoutMs: 30_000,
  logger,
});
// A short session so the group notices the killed predecessor in seconds, not the default 30.
const bus = createKafkaBus({
  brokers: env('KAFKA_BROKERS').split(','),
  clientId: 'ingest-crash-test',
  logger,
  consumer: { sessionTimeoutMs: 6_000, heartbeatIntervalMs: 1_000 },
});
const pauseMs = Number(process.env.PAUSE_AFTER_APPEND_MS ?? '0');
const append = createActivityAppender(pool);

await startActivityConsumer({
  bus,
  topics: topics(env('TOPIC_PREFIX')),
  logger,
  metrics: createIngestMetrics(createMetricsRegistry('ingest')),
  now: Date.now,
  store: async (activities) => {
    process.stdout.write(`appending ${activities.length}\n`);
    const result = await append(activities);
    process.stdout.write(`appended ${result.appended} skipped ${result.alreadyStored}\n`);
    await new Promise((resolve) => setTimeout(resolve, pauseMs));
    return result;
  },
});
process.stdout.write('ready\n');
