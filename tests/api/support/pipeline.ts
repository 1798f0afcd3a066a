import type { FastifyInstance } from 'fastify';
import type pg from 'pg';
import { afterAll, beforeAll } from 'vitest';
import { type Topics, topics as topicNames } from '../../../packages/contracts/src/index.js';
import { type Bus, createKafkaBus } from '../../../packages/kafka/src/index.js';
import {
  createLogger,
  createMetricsRegistry,
  createPool,
  hashApiKey,
  type Logger,
  loadConfig,
  runMigrations,
  type ServiceName,
} from '../../../packages/platform/src/index.js';
import { buildApp as buildApi } from '../../../services/api/src/app.js';
import { buildApp as buildIngest } from '../../../services/ingest/src/app.js';
import {
  INGEST_CONSUMER_GROUP,
  startActivityConsumer,
} from '../../../services/ingest/src/consumer/activity-consumer.js';
import { createActivityAppender } from '../../../services/ingest/src/consumer/store-activities.js';
import { createIngestMetrics } from '../../../services/ingest/src/metrics.js';
import { buildApp as buildProjector } from '../../../services/projector/src/app.js';
import { buildApp as buildScoring } from '../../../services/scoring/src/app.js';
import { kafkaBrokers, uniqueTopicPrefix, useTestDatabase } from '../../support/infra.js';

/** API keys the pipeline configures. */
export const KEYS = {
  ingest: 'api-test-ingest-key-0123456789',
  read: 'api-test-read-key-0123456789',
  admin: 'api-test-admin-key-0123456789',
} as const;

const entry = (id: string, key: string, scopes: string) =>
  `${id}:${hashApiKey(key).toString('hex')}:${scopes}`;

export interface Pipeline {
  readonly api: FastifyInstance;
  readonly ingestUrl: string;
  readonly pool: pg.Pool;
  readonly bus: Bus;
  readonly topics: Topics;
  /** Prefixes this pipeline's topics; also prefix the consumer groups a test adds with it. */
  readonly topicPrefix: string;
  /** The clock the api decays scores to (epoch ms); tests move it. */
  readonly clock: { now: number };
  close(): Promise<void>;
}

export interface PipelineOptions {
  readonly databaseUrl: string;
  readonly brokers: readonly string[];
  readonly topicPrefix: string;
  readonly clock: number;
}

const logLevel = () => (process.env.TEST_LOG_LEVEL ?? 'silent') as 'silent';

/**
 * The whole path as production wires it, in this process on real Kafka and PostgreSQL: the
 * webhook, ingest consumer and outbox relay (lead events and stage changes), scoring, the
 * projector and the api, each built by its service's buildApp from environment-style config. Tests seed
 * leads by posting events to the webhook, so every read model the api reads is the real one.
 */
export async function startPipeline(options: PipelineOptions): Promise<Pipeline> {
  const logger = createLogger({ service: 'api', level: logLevel() });
  await runMigrations({ databaseUrl: options.databaseUrl, logger });
  const pool = createPool({
    connectionString: options.databaseUrl,
    applicationName: 'leadscore-api-test',
    max: 12,
    statementTimeoutMs: 30_000,
    logger,
  });
  const bus = createKafkaBus({ brokers: options.brokers, clientId: 'api-test', logger });
  const configOf = (service: ServiceName) =>
    loadConfig(
      {
        NODE_ENV: 'test',
        DATABASE_URL: options.databaseUrl,
        KAFKA_BROKERS: options.brokers.join(','),
        TOPIC_PREFIX: options.topicPrefix,
        INGEST_API_KEYS: entry('esp', KEYS.ingest, 'ingest'),
        INGEST_RATE_LIMIT_PER_SECOND: '100000',
        INGEST_RATE_LIMIT_BURST: '100000',
        // The ingest consumer is started below, in a consumer group of this file's own.
        INGEST_RUN_CONSUMER: 'false',
        API_KEYS: [entry('dashboard', KEYS.read, 'read'), entry('sales-ops', KEYS.admin, 'read+admin')].join(
          ',',
        ),
      },
      service,
    );
  const deps = (service: ServiceName, serviceLogger: Logger) => ({
    config: configOf(service),
    logger: serviceLogger,
    pool,
    bus,
    metrics: createMetricsRegistry(service),
  });
  const quiet = (service: ServiceName) => createLogger({ service, level: logLevel() });

  const topics = topicNames(options.topicPrefix);
  const ingest = await buildIngest(deps('ingest', quiet('ingest')));
  const ingestUrl = await ingest.listen({ host: '127.0.0.1', port: 0 });
  // Production's group names are shared by every test file on the broker; a group per file keeps
  // other files' members from being handed this file's partitions.
  const ingestConsumer = await startActivityConsumer({
    bus,
    topics,
    store: createActivityAppender(pool),
    logger: quiet('ingest'),
    metrics: createIngestMetrics(createMetricsRegistry('ingest')),
    now: Date.now,
    groupId: `${options.topicPrefix}${INGEST_CONSUMER_GROUP}`,
  });
  const scoring = await buildScoring(deps('scoring', quiet('scoring')));
  const projector = await buildProjector(deps('projector', quiet('projector')), {
    groupId: `${options.topicPrefix}leadscore-projector`,
  });
  await Promise.all([scoring.ready(), projector.ready()]);

  const clock = { now: options.clock };
  const api = await buildApi(deps('api', logger), { now: () => clock.now });
  await api.ready();
  return {
    api,
    ingestUrl,
    pool,
    bus,
    topics,
    topicPrefix: options.topicPrefix,
    clock,
    async close() {
      await ingestConsumer.stop();
      for (const app of [api, ingest, scoring, projector]) await app.close();
      await bus.close();
      await pool.end();
    },
  };
}

/**
 * A pipeline for the calling test file: started in beforeAll on a test database and topics of
 * the file's own, with the api clock at `clock`, and closed in afterAll. Hooks the file registers
 * after this call run once it has started.
 */
export function usePipeline(options: { readonly clock: number }): () => Pipeline {
  const database = useTestDatabase();
  let pipeline: Pipeline | undefined;
  beforeAll(async () => {
    pipeline = await startPipeline({
      databaseUrl: database().url,
      brokers: kafkaBrokers(),
      topicPrefix: uniqueTopicPrefix(),
      clock: options.clock,
    });
  });
  afterAll(async () => {
    await pipeline?.close();
  });
  return () => {
    if (!pipeline) throw new Error('usePipeline(): the pipeline is only available inside tests and hooks');
    return pipeline;
  };
}
