/**
 * CPU per event of the consumer's batch handler (decode, append in one transaction, metrics) on
 * batches of a fixed size, without Kafka: `BENCH_APPENDS` batches (default 2,000) of `BENCH_BATCH`
 * events (default 8, about what one partition gets per fetch at bench:pipeline's live tail),
 * handled one after another. Fixed batch sizes make the append path's changes comparable on a
 * shared machine, where the live tail's batch sizes wander with the load. Reports CPU of this
 * process and of its PostgreSQL backends per batch and per event.
 * Run: `npx tsx services/ingest/bench/append-batches.ts` (KAFKA_BROKERS is not needed).
 */
import { topics as topicNames } from '@leadscore/contracts';
import type { Bus, ConsumedBatch } from '@leadscore/kafka';
import { createLogger, createMetricsRegistry, createPool, runMigrations } from '@leadscore/platform';
import pg from 'pg';
import { createScratchDatabase } from '../../../bench/support/scratch-database.js';
import { formatStageCost, StageMeter } from '../../../bench/support/stage-meter.js';
import { createActivityBatchHandler } from '../src/consumer/activity-consumer.js';
import { createActivityAppender } from '../src/consumer/store-activities.js';
import { createIngestMetrics } from '../src/metrics.js';
import { activityMessagesOf, benchEvents } from './bench-events.js';

const APPENDS = Number(process.env.BENCH_APPENDS ?? 2_000);
const BATCH = Number(process.env.BENCH_BATCH ?? 8);
const APPLICATION_NAME = 'ingest-append-bench';
const logger = createLogger({ service: 'ingest-bench', level: 'warn' });

const database = await createScratchDatabase(
  process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres',
);
const pool = createPool({
  connectionString: database.url,
  applicationName: APPLICATION_NAME,
  max: 2,
  statementTimeoutMs: 0,
  logger,
});
const meterDb = new pg.Pool({ connectionString: database.url, max: 1 });
try {
  await runMigrations({ databaseUrl: database.url, logger });
  const topics = topicNames('bench.');
  const messages = activityMessagesOf(benchEvents(APPENDS * BATCH, 5_000, 'append'), new Date());
  const batches: ConsumedBatch[] = [];
  for (let b = 0; b < APPENDS; b += 1) {
    batches.push({
      topic: topics.activity,
      partition: 0,
      messages: messages.slice(b * BATCH, (b + 1) * BATCH).map((message, i) => ({
        topic: topics.activity,
        partition: 0,
        offset: String(b * BATCH + i),
        key: message.key,
        value: Buffer.from(message.value),
        headers: {},
        timestamp: Date.now(),
      })),
    });
  }
  const handle = createActivityBatchHandler({
    bus: {} as Bus, // nothing is dead-lettered: every message is valid
    topics,
    store: createActivityAppender(pool),
    logger,
    metrics: createIngestMetrics(createMetricsRegistry('ingest-bench')),
    now: Date.now,
  });
  for (const batch of batches.slice(0, 100)) await handle(batch); // warm-up: JIT, connections
  const meter = await StageMeter.start(meterDb, database.name, APPLICATION_NAME);
  for (const batch of batches.slice(100)) await handle(batch);
  const cost = await meter.stop((APPENDS - 100) * BATCH);
  process.stdout.write(
    `${formatStageCost(`consumer batch handler, ${BATCH} events per batch, one at a time`, cost)}\n` +
      `  per batch: process ${((cost.processCpuUsPerEvent * BATCH) / 1000).toFixed(2)} ms, PostgreSQL backends ${((cost.backendCpuUsPerEvent * BATCH) / 1000).toFixed(2)} ms\n` +
      `${JSON.stringify({ bench: 'ingest-append-batches', batch: BATCH, ...cost })}\n`,
  );
} finally {
  await meterDb.end();
  await pool.end();
  await database.drop();
}
