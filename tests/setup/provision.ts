import {
  chooseSources,
  type KafkaSource,
  needsDockerProbe,
  type PostgresSource,
  readInfraSettings,
} from './infra-settings.js';
import { type BrokerJit, startKafkaFromJars } from './kafka-broker.js';
import { defaultCacheRoot, ensureKafkaJars } from './kafka-jars.js';
import { probeLocalPostgres } from './postgres-local.js';
import { startThrowawayPostgres } from './postgres-throwaway.js';
import {
  type KafkaEndpoint,
  type Log,
  nothingToStop,
  type PostgresEndpoint,
  redactUrl,
  stderrLog,
} from './resources.js';
import { runTeardownOnSignals, Teardown } from './teardown.js';

export interface TestInfrastructure {
  readonly kafkaBrokers: string[];
  readonly databaseUrl: string;
  /** The Kafka broker's process, when provisioning started it on this machine (from the jars). */
  readonly kafkaPid?: number;
  /** Stops and removes everything provisioning started; safe to call more than once. */
  teardown(): Promise<void>;
}

/**
 * A real Kafka and a real PostgreSQL for the integration tests (and benchmarks), each from the
 * environment, a container, or started locally (see infra-settings.ts for the order). Whatever
 * was started is stopped by `teardown()`, on SIGINT/SIGTERM, and when provisioning itself fails.
 */
export async function provisionTestInfrastructure(
  options: {
    env?: NodeJS.ProcessEnv;
    log?: Log;
    /** For a broker started from the jars (kafka-broker.ts); benchmarks pass `optimising`. */
    brokerJit?: BrokerJit;
  } = {},
): Promise<TestInfrastructure> {
  const env = options.env ?? process.env;
  const log = options.log ?? stderrLog;
  const startedAt = Date.now();
  const settings = readInfraSettings(env);
  // testcontainers is only loaded when a container might be used: it is slow to import.
  const docker =
    needsDockerProbe(settings) && (await import('./containers.js').then((m) => m.dockerAnswers()));
  const sources = chooseSources(settings, docker);

  const teardown = new Teardown(log);
  const removeSignalHandlers = runTeardownOnSignals(teardown, log);
  const stopAll = async () => {
    try {
      await teardown.run();
    } finally {
      removeSignalHandlers();
    }
  };
  // Started side by side; each registers its stop as soon as it runs, so a failure of one still
  // stops the other.
  const [kafka, postgres] = await Promise.allSettled([
    provideKafka(sources.kafka, settings.kafkaBrokers, env, log, options.brokerJit).then((endpoint) => {
      teardown.add(`Kafka (${endpoint.origin})`, endpoint.stop);
      return endpoint;
    }),
    providePostgres(sources.postgres, settings.databaseUrl, log).then((endpoint) => {
      teardown.add(`PostgreSQL (${endpoint.origin})`, endpoint.stop);
      return endpoint;
    }),
  ]);
  if (kafka.status === 'rejected' || postgres.status === 'rejected') {
    await stopAll().catch(() => {});
    const reasons = [kafka, postgres].flatMap((result) =>
      result.status === 'rejected' ? [result.reason] : [],
    );
    throw reasons.length === 1
      ? reasons[0]
      : new AggregateError(reasons, 'test infrastructure could not start');
  }
  log(`test infrastructure ready in ${((Date.now() - startedAt) / 1000).toFixed(1)} s`);
  return {
    kafkaBrokers: kafka.value.brokers,
    databaseUrl: postgres.value.url,
    ...(kafka.value.pid === undefined ? {} : { kafkaPid: kafka.value.pid }),
    teardown: stopAll,
  };
}

/** The same for a benchmark: a broker from the jars runs with the JVM's optimising compiler. */
export function provisionBenchmarkInfrastructure(): Promise<TestInfrastructure> {
  return provisionTestInfrastructure({ brokerJit: 'optimising' });
}

async function provideKafka(
  source: KafkaSource,
  given: string[] | undefined,
  env: NodeJS.ProcessEnv,
  log: Log,
  jit: BrokerJit | undefined,
): Promise<KafkaEndpoint> {
  switch (source) {
    case 'env': {
      const brokers = given ?? [];
      log(`Kafka ${brokers.join(',')}: from KAFKA_BROKERS`);
      return { brokers, origin: 'KAFKA_BROKERS', stop: nothingToStop };
    }
    case 'container':
      return (await import('./containers.js')).startKafkaContainer(log);
    case 'jars': {
      const jars = await ensureKafkaJars({ cacheRoot: defaultCacheRoot(env), log });
      return startKafkaFromJars({ libDir: jars.libDir, log, ...(jit ? { jit } : {}) });
    }
  }
}

async function providePostgres(
  source: PostgresSource,
  given: string | undefined,
  log: Log,
): Promise<PostgresEndpoint> {
  switch (source) {
    case 'env': {
      const url = given ?? '';
      log(`PostgreSQL ${redactUrl(url)}: from DATABASE_URL`);
      return { url, origin: 'DATABASE_URL', stop: nothingToStop };
    }
    case 'container':
      return (await import('./containers.js')).startPostgresContainer(log);
    case 'local': {
      const probe = await probeLocalPostgres();
      if (probe.usable) {
        log(`PostgreSQL ${redactUrl(probe.url)}: the local server`);
        return { url: probe.url, origin: 'local server on 127.0.0.1:5432', stop: nothingToStop };
      }
      log(`PostgreSQL on 127.0.0.1:5432 is not usable (${probe.reason}): starting a throwaway cluster`);
      return startThrowawayPostgres({ log });
    }
    case 'throwaway':
      return startThrowawayPostgres({ log });
  }
}
