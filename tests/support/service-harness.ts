import type { FastifyInstance } from 'fastify';
import type pg from 'pg';
import type { Registry } from 'prom-client';
import { type Topics, topics as topicNames } from '../../packages/contracts/src/index.js';
import { type Bus, createKafkaBus, type KafkaBusOptions } from '../../packages/kafka/src/index.js';
import {
  createLogger,
  createMetricsRegistry,
  createPool,
  type Logger,
  loadConfig,
  runMigrations,
  type ServiceDependencies,
  type ServiceName,
} from '../../packages/platform/src/index.js';

/** Where a service under test runs: a test database and a topic prefix of its own on the real broker. */
export interface ServiceSite {
  readonly databaseUrl: string;
  readonly brokers: readonly string[];
  readonly topicPrefix: string;
}

export interface StartServiceOptions extends ServiceSite {
  readonly service: ServiceName;
  /** Environment variables beyond the database, broker and topic prefix. */
  readonly env?: Readonly<Record<string, string>>;
  readonly poolSize: number;
  /** Producer settings of the bus, e.g. the service's own producer lanes. */
  readonly producer?: KafkaBusOptions['producer'];
  /** The service's own consumer settings (its main.ts passes them to createKafkaBus). */
  readonly consumer?: KafkaBusOptions['consumer'];
  /** Wraps the real bus the app gets, e.g. to make a publish fail. */
  readonly wrapBus?: (bus: Bus) => Bus;
  build(deps: ServiceDependencies<Bus>): Promise<FastifyInstance>;
}

export interface ServiceUnderTest {
  readonly app: FastifyInstance;
  readonly pool: pg.Pool;
  /** The real bus, unwrapped, for the test's own publishing and reading. */
  readonly bus: Bus;
  readonly topics: Topics;
  readonly metrics: Registry;
  readonly logger: Logger;
  /** Closes the app, then the bus and the pool it was given. */
  close(): Promise<void>;
}

/** Test logs are silent unless TEST_LOG_LEVEL asks for them. */
export function testLogger(service: string): Logger {
  return createLogger({ service, level: (process.env.TEST_LOG_LEVEL ?? 'silent') as 'silent' });
}

/**
 * One service as production builds it (config from environment variables, then its buildApp) on
 * the real broker and a migrated test database. Listening, readiness and what a test feeds the
 * service with are left to the service's own harness.
 */
export async function startService(options: StartServiceOptions): Promise<ServiceUnderTest> {
  const logger = testLogger(options.service);
  const config = loadConfig(
    {
      NODE_ENV: 'test',
      DATABASE_URL: options.databaseUrl,
      KAFKA_BROKERS: options.brokers.join(','),
      TOPIC_PREFIX: options.topicPrefix,
      ...options.env,
    },
    options.service,
  );
  await runMigrations({ databaseUrl: options.databaseUrl, logger });
  const pool = createPool({
    connectionString: options.databaseUrl,
    applicationName: `leadscore-${options.service}-test`,
    max: options.poolSize,
    statementTimeoutMs: 30_000,
    logger,
  });
  const bus = createKafkaBus({
    brokers: options.brokers,
    clientId: `${options.service}-test`,
    logger,
    ...(options.producer ? { producer: options.producer } : {}),
    ...(options.consumer ? { consumer: options.consumer } : {}),
  });
  const metrics = createMetricsRegistry(options.service);
  const app = await options.build({
    config,
    logger,
    pool,
    bus: options.wrapBus?.(bus) ?? bus,
    metrics,
  });
  return {
    app,
    pool,
    bus,
    topics: topicNames(options.topicPrefix),
    metrics,
    logger,
    async close() {
      await app.close();
      await bus.close();
      await pool.end();
    },
  };
}
