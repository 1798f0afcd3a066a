import type { FastifyInstance } from 'fastify';
import type pg from 'pg';
import type { Registry } from 'prom-client';
import { type Topics, topics as topicNames } from '../../../packages/contracts/src/index.js';
import { type Bus, createKafkaBus } from '../../../packages/kafka/src/index.js';
import {
  createLogger,
  createMetricsRegistry,
  createPool,
  hashApiKey,
  loadConfig,
  runMigrations,
} from '../../../packages/platform/src/index.js';
import { buildApp } from '../../../services/ingest/src/app.js';
import { INGEST_PRODUCER_SETTINGS } from '../../../services/ingest/src/ingest-module.js';

/** Keys the harness configures: one with the ingest scope, one without. */
export const INGEST_KEY = 'test-ingest-key-0123456789';
export const READ_ONLY_KEY = 'test-read-only-key-0123456789';

export interface IngestUnderTest {
  readonly url: string;
  readonly topics: Topics;
  readonly pool: pg.Pool;
  readonly bus: Bus;
  readonly app: FastifyInstance;
  readonly metrics: Registry;
  close(): Promise<void>;
}

export interface StartIngestOptions {
  readonly databaseUrl: string;
  readonly brokers: readonly string[];
  readonly topicPrefix: string;
  /** More environment variables, e.g. INGEST_HMAC_SECRET or INGEST_RUN_CONSUMER=false. */
  readonly env?: Readonly<Record<string, string>>;
}

function keyEntry(id: string, key: string, scopes: string): string {
  return `${id}:${hashApiKey(key).toString('hex')}:${scopes}`;
}

/**
 * The ingest service as production builds it (config from environment variables, then buildApp)
 * on the real broker and a test database, listening on a loopback port.
 */
export async function startIngest(options: StartIngestOptions): Promise<IngestUnderTest> {
  const logger = createLogger({
    service: 'ingest',
    level: (process.env.TEST_LOG_LEVEL ?? 'silent') as 'silent',
  });
  const config = loadConfig(
    {
      NODE_ENV: 'test',
      DATABASE_URL: options.databaseUrl,
      KAFKA_BROKERS: options.brokers.join(','),
      TOPIC_PREFIX: options.topicPrefix,
      INGEST_API_KEYS: [
        keyEntry('esp', INGEST_KEY, 'ingest'),
        keyEntry('dashboard', READ_ONLY_KEY, 'read'),
      ].join(','),
      INGEST_RATE_LIMIT_PER_SECOND: '100000',
      INGEST_RATE_LIMIT_BURST: '100000',
      ...options.env,
    },
    'ingest',
  );
  await runMigrations({ databaseUrl: options.databaseUrl, logger });
  const pool = createPool({
    connectionString: options.databaseUrl,
    applicationName: 'leadscore-ingest-test',
    max: 5,
    statementTimeoutMs: 30_000,
    logger,
  });
  // Published as the service publishes (two producer lanes), so per-lead order is tested with them.
  const bus = createKafkaBus({
    brokers: options.brokers,
    clientId: 'ingest-test',
    logger,
    producer: INGEST_PRODUCER_SETTINGS,
  });
  const metrics = createMetricsRegistry('ingest');
  const app = await buildApp({ config, logger, pool, bus, metrics });
  const address = await app.listen({ host: '127.0.0.1', port: 0 });
  return {
    url: address,
    topics: topicNames(options.topicPrefix),
    pool,
    bus,
    app,
    metrics,
    async close() {
      await app.close();
      await bus.close();
      await pool.end();
    },
  };
}
