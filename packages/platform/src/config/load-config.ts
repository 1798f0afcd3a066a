import { DEFAULT_PORTS, type Env, envSchema, type ServiceName } from './env-schema.js';
import { type EnvSource, parseEnv } from './parse-env.js';

/** The typed configuration of one service, from the environment; throws ConfigError listing every problem. */
export function loadConfig(source: EnvSource, service: ServiceName) {
  return toConfig(parseEnv(envSchema, source, `leadscore ${service}`), service);
}

export type Config = ReturnType<typeof loadConfig>;

function toConfig(env: Env, service: ServiceName) {
  return {
    service,
    nodeEnv: env.NODE_ENV,
    logLevel: env.LOG_LEVEL,
    http: { host: env.HOST, port: env.PORT ?? DEFAULT_PORTS[service] },
    database: {
      url: env.DATABASE_URL,
      poolMax: env.DATABASE_POOL_MAX,
      statementTimeoutMs: env.DATABASE_STATEMENT_TIMEOUT_MS,
    },
    kafka: {
      brokers: env.KAFKA_BROKERS,
      clientId: env.KAFKA_CLIENT_ID ?? `leadscore-${service}`,
      topicPrefix: env.TOPIC_PREFIX,
    },
    migrateOnStart: env.MIGRATE_ON_START,
    shutdownGraceMs: env.SHUTDOWN_GRACE_MS,
    readinessTimeoutMs: env.READINESS_TIMEOUT_MS,
    ingest: {
      apiKeys: env.INGEST_API_KEYS ?? [],
      hmacSecret: env.INGEST_HMAC_SECRET,
      signatureToleranceMs: env.INGEST_SIGNATURE_TOLERANCE_SECONDS * 1000,
      futureToleranceMs: env.INGEST_FUTURE_TOLERANCE_SECONDS * 1000,
      rateLimit: { refillPerSecond: env.INGEST_RATE_LIMIT_PER_SECOND, capacity: env.INGEST_RATE_LIMIT_BURST },
      runConsumer: env.INGEST_RUN_CONSUMER,
      relay: env.INGEST_RELAY,
    },
    scoring: { rescoringBatchSize: env.SCORING_RESCORING_BATCH_SIZE },
    api: { apiKeys: env.API_KEYS ?? [] },
  };
}
