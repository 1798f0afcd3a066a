import type { FastifyInstance } from 'fastify';
import type pg from 'pg';
import type { Registry } from 'prom-client';
import { type Topics, topics as topicNames } from '../../../packages/contracts/src/index.js';
import { type Bus, createKafkaBus } from '../../../packages/kafka/src/index.js';
import {
  createHttpApp,
  createLogger,
  createMetricsRegistry,
  createPool,
  loadConfig,
  runMigrations,
} from '../../../packages/platform/src/index.js';
import { hashApiKey } from '../../../services/ingest/src/http/api-key-auth.js';
import { type IngestSettings, registerIngest } from '../../../services/ingest/src/ingest-module.js';

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
  readonly settings?: Partial<IngestSettings>;
  readonly now?: () => number;
}

/**
 * The ingest service as production wires it (platform app + ingest routes and consumer) on the
 * real broker and a test database, listening on a loopback port.
 */
export async function startIngest(options: StartIngestOptions): Promise<IngestUnderTest> {
  const logger = createLogger({
    service: 'ingest',
    level: (process.env.TEST_LOG_LEVEL ?? 'silent') as 'silent',
  });
  const config = loadConfig(
    {
      DATABASE_URL: options.databaseUrl,
      KAFKA_BROKERS: options.brokers.join(','),
      TOPIC_PREFIX: options.topicPrefix,
      NODE_ENV: 'test',
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
  const bus = createKafkaBus({ brokers: options.brokers, clientId: 'ingest-test', logger });
  const metrics = createMetricsRegistry('ingest');
  const deps = { config, logger, pool, bus, metrics };
  const app = await createHttpApp(deps);
  await registerIngest(
    app,
    deps,
    {
      topicPrefix: options.topicPrefix,
      apiKeys: [
        { id: 'esp', sha256: hashApiKey(INGEST_KEY).toString('hex'), scopes: ['ingest'] },
        { id: 'dashboard', sha256: hashApiKey(READ_ONLY_KEY).toString('hex'), scopes: ['read'] },
      ],
      signatureToleranceMs: 300_000,
      rateLimit: { capacity: 100_000, refillPerSecond: 100_000 },
      runConsumer: true,
      ...options.settings,
    },
    options.now,
  );
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
