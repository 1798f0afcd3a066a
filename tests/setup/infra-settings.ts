import { TestInfraError } from './errors.js';

export const KAFKA_MODES = ['auto', 'container', 'jars'] as const;
export const POSTGRES_MODES = ['auto', 'container', 'local', 'throwaway'] as const;
export type KafkaMode = (typeof KAFKA_MODES)[number];
export type PostgresMode = (typeof POSTGRES_MODES)[number];

/** What the environment asks for; see docs/DEVELOPMENT.md for the meaning of each variable. */
export interface InfraSettings {
  /** KAFKA_BROKERS: use this Kafka, start none. */
  readonly kafkaBrokers?: string[];
  /** DATABASE_URL: use this PostgreSQL, start none. */
  readonly databaseUrl?: string;
  /** LEADSCORE_TEST_KAFKA: where a Kafka comes from when KAFKA_BROKERS is unset. */
  readonly kafkaMode: KafkaMode;
  /** LEADSCORE_TEST_PG: where a PostgreSQL comes from when DATABASE_URL is unset. */
  readonly postgresMode: PostgresMode;
}

export type KafkaSource = 'env' | 'container' | 'jars';
/** `local` means the server on 127.0.0.1:5432 when usable, else a throwaway cluster. */
export type PostgresSource = 'env' | 'container' | 'local' | 'throwaway';

export interface Sources {
  readonly kafka: KafkaSource;
  readonly postgres: PostgresSource;
}

export function readInfraSettings(env: NodeJS.ProcessEnv): InfraSettings {
  const brokers = env.KAFKA_BROKERS?.split(',')
    .map((broker) => broker.trim())
    .filter(Boolean);
  return {
    ...(brokers?.length ? { kafkaBrokers: brokers } : {}),
    ...(env.DATABASE_URL ? { databaseUrl: env.DATABASE_URL } : {}),
    kafkaMode: oneOf('LEADSCORE_TEST_KAFKA', env.LEADSCORE_TEST_KAFKA, KAFKA_MODES),
    postgresMode: oneOf('LEADSCORE_TEST_PG', env.LEADSCORE_TEST_PG, POSTGRES_MODES),
  };
}

/** Docker is only asked about when some part may come from a container. */
export function needsDockerProbe(settings: InfraSettings): boolean {
  const kafkaMay =
    !settings.kafkaBrokers && (settings.kafkaMode === 'auto' || settings.kafkaMode === 'container');
  const postgresMay =
    !settings.databaseUrl && (settings.postgresMode === 'auto' || settings.postgresMode === 'container');
  return kafkaMay || postgresMay;
}

/**
 * The order of preference, per part independently: the environment's own, else a container when a
 * Docker engine answers, else local provisioning. A forced mode overrides the automatic choice.
 */
export function chooseSources(settings: InfraSettings, dockerAnswers: boolean): Sources {
  for (const [name, mode, given] of [
    ['LEADSCORE_TEST_KAFKA', settings.kafkaMode, settings.kafkaBrokers],
    ['LEADSCORE_TEST_PG', settings.postgresMode, settings.databaseUrl],
  ] as const) {
    if (mode === 'container' && !given && !dockerAnswers) {
      throw new TestInfraError('INVALID_SETTING', `${name}=container, but no Docker engine answers`);
    }
  }
  const kafka: KafkaSource = settings.kafkaBrokers
    ? 'env'
    : settings.kafkaMode === 'auto'
      ? dockerAnswers
        ? 'container'
        : 'jars'
      : settings.kafkaMode;
  const postgres: PostgresSource = settings.databaseUrl
    ? 'env'
    : settings.postgresMode === 'auto'
      ? dockerAnswers
        ? 'container'
        : 'local'
      : settings.postgresMode;
  return { kafka, postgres };
}

function oneOf<T extends string>(name: string, value: string | undefined, allowed: readonly T[]): T {
  const chosen = value === undefined || value === '' ? 'auto' : value;
  if (!(allowed as readonly string[]).includes(chosen)) {
    throw new TestInfraError('INVALID_SETTING', `${name}=${value} is not one of ${allowed.join(', ')}`, {
      name,
      value,
    });
  }
  return chosen as T;
}
