import type { Topics } from '@leadscore/contracts';
import { createKafkaBus } from '@leadscore/kafka';
import { createMetricsRegistry, type Logger } from '@leadscore/platform';
import { Kafka, logLevel } from 'kafkajs';
import type pg from 'pg';
import { startActivityConsumer } from '../src/consumer/activity-consumer.js';
import { createActivityAppender } from '../src/consumer/store-activities.js';
import { INGEST_CONSUMER_SETTINGS } from '../src/ingest-module.js';
import { createIngestMetrics } from '../src/metrics.js';

export interface AppendResult {
  readonly events: number;
  readonly batches: number;
  readonly eventsPerSecond: number;
  /** From subscribing to the last event stored, group join included. */
  readonly wallSeconds: number;
  /** CPU of this process (decoding, the bus, the pg client) per event; PostgreSQL's own CPU is not in it. */
  readonly consumerCpuUsPerEvent: number;
}

/** Fills the activity topic with the messages, untimed: the consumer is measured, not the producer. */
export async function fillTopic(
  brokers: readonly string[],
  topic: string,
  messages: readonly { key: string; value: string }[],
): Promise<void> {
  const producer = new Kafka({
    clientId: 'bench-fill',
    brokers: [...brokers],
    logLevel: logLevel.ERROR,
  }).producer();
  await producer.connect();
  for (let start = 0; start < messages.length; start += 2_000) {
    await producer.send({ topic, acks: -1, messages: messages.slice(start, start + 2_000) });
  }
  await producer.disconnect();
}

/**
 * Runs the ingest consumer as production configures it on a full topic and times the appends:
 * from the first batch handed to the store to the last one committed.
 */
export async function measureConsumer(options: {
  readonly brokers: readonly string[];
  readonly pool: pg.Pool;
  readonly topics: Topics;
  readonly expected: number;
  readonly logger: Logger;
}): Promise<AppendResult> {
  const bus = createKafkaBus({
    brokers: options.brokers,
    clientId: 'bench-consumer',
    logger: options.logger,
    consumer: INGEST_CONSUMER_SETTINGS,
  });
  const append = createActivityAppender(options.pool);
  let stored = 0;
  let batches = 0;
  let firstStart = 0;
  let lastEnd = 0;
  const subscribed = performance.now();
  const cpuBefore = process.cpuUsage();
  let done: () => void = () => {};
  const finished = new Promise<void>((resolve) => {
    done = resolve;
  });
  const subscription = await startActivityConsumer({
    bus,
    topics: options.topics,
    logger: options.logger,
    metrics: createIngestMetrics(createMetricsRegistry('ingest-bench')),
    now: Date.now,
    store: async (activities) => {
      if (firstStart === 0) firstStart = performance.now();
      const result = await append(activities);
      lastEnd = performance.now();
      stored += result.appended;
      batches += 1;
      if (stored >= options.expected) done();
      return result;
    },
  });
  await finished;
  const cpu = process.cpuUsage(cpuBefore);
  await subscription.stop();
  await bus.close();
  return {
    events: stored,
    batches,
    eventsPerSecond: stored / ((lastEnd - firstStart) / 1000),
    wallSeconds: (lastEnd - subscribed) / 1000,
    consumerCpuUsPerEvent: (cpu.user + cpu.system) / stored,
  };
}

/**
 * Baseline: the same rows through plain multi-row INSERTs (same batch size, one statement each)
 * into a copy of eventstore.messages with its indexes and constraints: the cost of writing the
 * rows at all, without stream locks, versions or the idempotency look-up.
 */
export async function measurePlainInsert(options: {
  readonly pool: pg.Pool;
  readonly rows: readonly {
    streamId: string;
    eventId: string;
    type: string;
    data: string;
    occurredAt: string;
  }[];
  readonly batchSize: number;
}): Promise<{ eventsPerSecond: number }> {
  const { pool, rows, batchSize } = options;
  await pool.query('CREATE TABLE bench_plain_messages (LIKE eventstore.messages INCLUDING ALL)');
  const started = performance.now();
  for (let start = 0; start < rows.length; start += batchSize) {
    const batch = rows.slice(start, start + batchSize);
    const values: unknown[] = [];
    const tuples = batch.map((row, i) => {
      values.push(row.streamId, start + i + 1, row.eventId, row.type, row.data, row.occurredAt);
      const p = i * 6;
      return `($${p + 1}, $${p + 2}, $${p + 3}, $${p + 4}, $${p + 5}, $${p + 6})`;
    });
    await pool.query(
      `INSERT INTO bench_plain_messages (stream_id, stream_position, event_id, type, data, occurred_at) VALUES ${tuples.join(', ')}`,
      values,
    );
  }
  const seconds = (performance.now() - started) / 1000;
  await pool.query('DROP TABLE bench_plain_messages');
  return { eventsPerSecond: rows.length / seconds };
}
