import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import type { Topics } from '@leadscore/contracts';
import { type ConsumerSettings, createKafkaBus } from '@leadscore/kafka';
import { createMetricsRegistry, type Logger } from '@leadscore/platform';
import { Kafka, logLevel } from 'kafkajs';
import type pg from 'pg';
import { type StageCost, StageMeter } from '../../../bench/support/stage-meter.js';
import { startActivityConsumer } from '../src/consumer/activity-consumer.js';
import { type ActivityToStore, createActivityAppender } from '../src/consumer/store-activities.js';
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
  const subscribed = performance.now();
  const cpuBefore = process.cpuUsage();
  const consumer = await countingConsumer({ ...options, settings: INGEST_CONSUMER_SETTINGS });
  await consumer.finished;
  const cpu = process.cpuUsage(cpuBefore);
  await consumer.stop();
  const { stored, batches, firstStart, lastEnd } = consumer.counts;
  return {
    events: stored,
    batches,
    eventsPerSecond: stored / ((lastEnd - firstStart) / 1000),
    wallSeconds: (lastEnd - subscribed) / 1000,
    consumerCpuUsPerEvent: (cpu.user + cpu.system) / stored,
  };
}

/**
 * The ingest consumer with a store that appends as production does and counts what it stored;
 * `finished` resolves once `expected` events are stored. `onStored` sees each committed batch.
 */
async function countingConsumer(options: {
  readonly brokers: readonly string[];
  readonly pool: pg.Pool;
  readonly topics: Topics;
  readonly expected: number;
  readonly logger: Logger;
  readonly settings: Partial<ConsumerSettings>;
  readonly onStored?: (activities: readonly ActivityToStore[]) => void;
}) {
  const bus = createKafkaBus({
    brokers: options.brokers,
    clientId: 'bench-consumer',
    logger: options.logger,
    consumer: options.settings,
  });
  const append = createActivityAppender(options.pool);
  const counts = { stored: 0, batches: 0, firstStart: 0, lastEnd: 0 };
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
      if (counts.firstStart === 0) counts.firstStart = performance.now();
      const result = await append(activities);
      counts.lastEnd = performance.now();
      options.onStored?.(activities);
      counts.stored += result.appended;
      counts.batches += 1;
      if (counts.stored >= options.expected) done();
      return result;
    },
  });
  return {
    counts,
    finished,
    async stop() {
      await subscription.stop();
      await bus.close();
    },
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

export interface LiveResult {
  readonly cost: StageCost;
  readonly batches: number;
  /** The consumer doing nothing (fetch polls, heartbeats), per second: included in `cost`. */
  readonly idle: { readonly processCpuPercent: number; readonly backendCpuPercent: number };
  /** From the producer sending an event to the transaction storing it committing, in ms. */
  readonly delayMs: { readonly p50: number; readonly p99: number; readonly max: number };
}

const IDLE_SECONDS = 3;

/**
 * The live tail: the consumer, as production configures it, subscribed to an empty topic, then
 * `events` published at `rate` events/s by a child process (so only the consumer's CPU is in this
 * process) in sends of 20, as webhook requests publish them. Batches are then as small as a
 * steady load makes them. `meterDb` samples the backends of `options.applicationName`, the name the
 * consumer's pool gives its connections.
 */
export async function measureLiveConsumer(options: {
  readonly brokers: readonly string[];
  readonly pool: pg.Pool;
  readonly meterDb: pg.Pool;
  readonly database: string;
  readonly applicationName: string;
  readonly topics: Topics;
  readonly topicPrefix: string;
  readonly rate: number;
  readonly events: number;
  readonly logger: Logger;
}): Promise<LiveResult> {
  // BENCH_FETCH=<minBytes>,<maxWaitTimeMs>: other fetch settings than production's, to compare.
  const [minBytes, maxWait] = (process.env.BENCH_FETCH ?? '').split(',').map(Number);
  const delays: number[] = [];
  const consumer = await countingConsumer({
    ...options,
    expected: options.events,
    settings: {
      ...INGEST_CONSUMER_SETTINGS,
      ...(minBytes ? { minBytes } : {}),
      ...(maxWait ? { maxWaitTimeMs: maxWait } : {}),
    },
    onStored: (activities) => {
      const now = Date.now();
      for (const activity of activities) delays.push(now - Date.parse(String(activity.metadata.receivedAt)));
    },
  });
  try {
    const meter = (pid = process.pid) =>
      StageMeter.start(options.meterDb, options.database, options.applicationName, pid);
    const idleMeter = await meter();
    await new Promise((resolve) => setTimeout(resolve, IDLE_SECONDS * 1000));
    const idle = await idleMeter.stop(1);
    const liveMeter = await meter();
    const producer = spawnProducer(options);
    // A producer that fails rejects the wait instead of leaving it hanging.
    await Promise.race([consumer.finished, producer.then(() => consumer.finished)]);
    const cost = await liveMeter.stop(consumer.counts.stored);
    await producer;
    delays.sort((a, b) => a - b);
    const at = (q: number) => delays[Math.min(delays.length - 1, Math.floor(q * delays.length))] ?? 0;
    return {
      cost,
      batches: consumer.counts.batches,
      idle: {
        processCpuPercent: idle.processCpuUsPerEvent / 1e4 / IDLE_SECONDS,
        backendCpuPercent: idle.backendCpuUsPerEvent / 1e4 / IDLE_SECONDS,
      },
      delayMs: { p50: at(0.5), p99: at(0.99), max: delays.at(-1) ?? 0 },
    };
  } finally {
    await consumer.stop();
  }
}

async function spawnProducer(options: {
  readonly brokers: readonly string[];
  readonly topicPrefix: string;
  readonly rate: number;
  readonly events: number;
}): Promise<void> {
  const script = fileURLToPath(new URL('./produce-at-rate.ts', import.meta.url));
  const child = spawn(process.execPath, ['--import', 'tsx', script], {
    env: {
      ...process.env,
      KAFKA_BROKERS: options.brokers.join(','),
      TOPIC_PREFIX: options.topicPrefix,
      BENCH_RATE: String(options.rate),
      BENCH_EVENTS: String(options.events),
    },
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  const [code] = (await once(child, 'exit')) as [number | null];
  if (code !== 0) throw new Error(`the bench producer exited with ${code}`);
}
