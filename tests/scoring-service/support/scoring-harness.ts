import type { FastifyInstance } from 'fastify';
import type pg from 'pg';
import type { Registry } from 'prom-client';
import { type Topics, topics as topicNames } from '../../../packages/contracts/src/index.js';
import { type AllSubscription, leadEventsRoute, startRelay } from '../../../packages/eventstore/src/index.js';
import { type Bus, createKafkaBus } from '../../../packages/kafka/src/index.js';
import {
  createLogger,
  createMetricsRegistry,
  createPool,
  type Logger,
  loadConfig,
  runMigrations,
} from '../../../packages/platform/src/index.js';
import { buildApp } from '../../../services/scoring/src/app.js';

export interface ScoringUnderTest {
  readonly topics: Topics;
  readonly pool: pg.Pool;
  readonly bus: Bus;
  readonly app: FastifyInstance;
  readonly metrics: Registry;
  readonly logger: Logger;
  /** Starts an event-store relay to the lead-events topic; stopped by close(). */
  startRelay(subscriber?: string): Promise<AllSubscription>;
  close(): Promise<void>;
}

export interface StartScoringOptions {
  readonly databaseUrl: string;
  readonly brokers: readonly string[];
  readonly topicPrefix: string;
  /** Wraps the real bus the app gets, e.g. to make a publish fail. */
  readonly wrapBus?: (bus: Bus) => Bus;
}

/**
 * The scoring service as production builds it (config from environment variables, then buildApp)
 * on the real broker and a test database, plus what a test needs to feed it: the relay that
 * publishes appended events to leadscore.lead-events.v1.
 */
export async function startScoring(options: StartScoringOptions): Promise<ScoringUnderTest> {
  const logger = createLogger({
    service: 'scoring',
    level: (process.env.TEST_LOG_LEVEL ?? 'silent') as 'silent',
  });
  const config = loadConfig(
    {
      NODE_ENV: 'test',
      DATABASE_URL: options.databaseUrl,
      KAFKA_BROKERS: options.brokers.join(','),
      TOPIC_PREFIX: options.topicPrefix,
    },
    'scoring',
  );
  await runMigrations({ databaseUrl: options.databaseUrl, logger });
  const pool = createPool({
    connectionString: options.databaseUrl,
    applicationName: 'leadscore-scoring-test',
    max: 5,
    statementTimeoutMs: 30_000,
    logger,
  });
  const realBus = createKafkaBus({ brokers: options.brokers, clientId: 'scoring-test', logger });
  const bus = options.wrapBus?.(realBus) ?? realBus;
  const metrics = createMetricsRegistry('scoring');
  const app = await buildApp({ config, logger, pool, bus, metrics });
  await app.ready();
  const topics = topicNames(options.topicPrefix);
  const relays: AllSubscription[] = [];
  return {
    topics,
    pool,
    bus: realBus,
    app,
    metrics,
    logger,
    async startRelay(subscriber = 'relay') {
      const relay = await startRelay({
        pool,
        bus: realBus,
        routes: [leadEventsRoute({ topic: topics.leadEvents })],
        subscriber,
        logger,
      });
      relays.push(relay);
      return relay;
    },
    async close() {
      for (const relay of relays) await relay.stop();
      await app.close();
      await realBus.close();
      await pool.end();
    },
  };
}
