import type pg from 'pg';
import { type Topics, topics as topicNames } from '../../../packages/contracts/src/index.js';
import {
  type AllSubscription,
  stageChangedRoute,
  startRelay,
} from '../../../packages/eventstore/src/index.js';
import { type Bus, createKafkaBus } from '../../../packages/kafka/src/index.js';
import {
  createLogger,
  createMetricsRegistry,
  createPool,
  loadConfig,
  runMigrations,
} from '../../../packages/platform/src/index.js';
import { buildApp } from '../../../services/projector/src/app.js';
import type { ProjectorOptions } from '../../../services/projector/src/index.js';

type Registry = ReturnType<typeof createMetricsRegistry>;

export interface ProjectorUnderTest {
  readonly app: Awaited<ReturnType<typeof buildApp>>;
  readonly pool: pg.Pool;
  readonly bus: Bus;
  readonly topics: Topics;
  readonly metrics: Registry;
  close(): Promise<void>;
}

export interface StartProjectorOptions {
  readonly databaseUrl: string;
  readonly brokers: readonly string[];
  readonly topicPrefix: string;
  readonly projector?: ProjectorOptions;
}

const logLevel = () => (process.env.TEST_LOG_LEVEL ?? 'silent') as 'silent';

/** The projector service as production builds it (config from the environment, then buildApp), on the real broker. */
export async function startProjector(options: StartProjectorOptions): Promise<ProjectorUnderTest> {
  const logger = createLogger({ service: 'projector', level: logLevel() });
  const config = loadConfig(
    {
      NODE_ENV: 'test',
      DATABASE_URL: options.databaseUrl,
      KAFKA_BROKERS: options.brokers.join(','),
      TOPIC_PREFIX: options.topicPrefix,
    },
    'projector',
  );
  await runMigrations({ databaseUrl: options.databaseUrl, logger });
  const pool = createPool({
    connectionString: options.databaseUrl,
    applicationName: 'leadscore-projector-test',
    max: 8,
    statementTimeoutMs: 30_000,
    logger,
  });
  const bus = createKafkaBus({ brokers: options.brokers, clientId: 'projector-test', logger });
  const metrics = createMetricsRegistry('projector');
  const app = await buildApp({ config, logger, pool, bus, metrics }, options.projector);
  return {
    app,
    pool,
    bus,
    topics: topicNames(options.topicPrefix),
    metrics,
    async close() {
      await app.close();
      await bus.close();
      await pool.end();
    },
  };
}

/** The outbox relay publishing stage changes from the store, as production runs it. */
export function startStageRelay(projector: ProjectorUnderTest): Promise<AllSubscription> {
  return startRelay({
    pool: projector.pool,
    bus: projector.bus,
    routes: [stageChangedRoute({ topic: projector.topics.stageChanged })],
    subscriber: 'projector-test-relay',
    pollIntervalMs: 100,
    logger: createLogger({ service: 'relay', level: logLevel() }),
  });
}

/** The value of a counter (summed over the labels given) on the projector's registry. */
export async function counterValue(
  metrics: Registry,
  name: string,
  labels: Readonly<Record<string, string>> = {},
): Promise<number> {
  const metric = await metrics.getSingleMetric(name)?.get();
  return (metric?.values ?? [])
    .filter((value) => Object.entries(labels).every(([key, wanted]) => value.labels[key] === wanted))
    .reduce((sum, value) => sum + value.value, 0);
}
