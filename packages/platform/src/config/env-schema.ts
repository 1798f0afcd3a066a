import { z } from 'zod';
import { apiKeyList } from './api-key-list.js';

declare module 'zod' {
  interface GlobalMeta {
    /** Never echo the value (error messages, docs examples): it is or contains a credential. */
    secret?: boolean;
  }
}

export const SERVICE_NAMES = ['api', 'ingest', 'scoring', 'projector'] as const;

/**
 * Leads per rescoring transaction. 1,000 rescored 104,000 to 118,000 events/s in bench:replay
 * against 93,000 to 105,000 at 500 (alternated pairs, 2026-12-07), for about 40 MiB more peak
 * memory; a batch's leads wait for their live events about twice as long (one batch's
 * transaction, some 90 ms on two cores), once per job.
 */
export const DEFAULT_RESCORING_BATCH_SIZE = 1_000;
export const ServiceName = z.enum(SERVICE_NAMES);
export type ServiceName = z.infer<typeof ServiceName>;

/** Each service has its own port so all four can run side by side on one host without PORT set. */
export const DEFAULT_PORTS: Readonly<Record<ServiceName, number>> = {
  api: 3000,
  ingest: 3001,
  scoring: 3002,
  projector: 3003,
};

function wholeNumber(min: number, max: number) {
  return z
    .string()
    .regex(/^\d+$/, 'must be a whole number')
    .transform(Number)
    .pipe(z.number().min(min, `must be at least ${min}`).max(max, `must be at most ${max}`));
}

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;

const defaultPortsText = Object.entries(DEFAULT_PORTS)
  .map(([service, port]) => `${service} ${port}`)
  .join(', ');

/**
 * Every environment variable a leadscore service reads: the single source of truth for
 * validation at start, the typed config, and the configuration table in README.md.
 */
export const envSchema = z.object({
  NODE_ENV: z
    .enum(['production', 'development', 'test'], { error: 'must be production, development or test' })
    .default('production')
    .describe(
      'Runtime mode, for Node.js and its libraries (production in the image); leadscore behaves the same in every mode.',
    ),
  LOG_LEVEL: z
    .enum(LOG_LEVELS, { error: `must be one of ${LOG_LEVELS.join(', ')}` })
    .default('info')
    .describe('Minimum level of the structured (pino, JSON) logs written to stdout.'),
  HOST: z
    .string()
    .min(1, 'must not be empty')
    .default('0.0.0.0')
    .describe('Address the HTTP server binds to.'),
  PORT: wholeNumber(1, 65_535)
    .optional()
    .describe(`HTTP port. When unset each service uses its own: ${defaultPortsText}.`),
  DATABASE_URL: z
    .url({ protocol: /^postgres(ql)?$/, error: 'must be a postgres:// or postgresql:// URL' })
    .meta({
      description: 'PostgreSQL connection string (postgres://user:password@host:5432/db).',
      secret: true,
    }),
  DATABASE_POOL_MAX: wholeNumber(1, 1_000)
    .default(10)
    .describe('Maximum number of PostgreSQL connections in each service process.'),
  DATABASE_STATEMENT_TIMEOUT_MS: wholeNumber(0, 3_600_000)
    .default(30_000)
    .describe('Server-side statement timeout for every pooled connection, in ms (0 disables it).'),
  KAFKA_BROKERS: z
    .string({ error: 'must be a comma-separated list of host:port' })
    .transform((value) => value.split(',').map((broker) => broker.trim()))
    .pipe(
      z
        .array(z.string().regex(/^[^\s:,]+:\d{1,5}$/, 'each broker must be host:port'))
        .min(1, 'must name at least one broker'),
    )
    .describe('Kafka bootstrap brokers, comma-separated host:port list (e.g. kafka-1:9092,kafka-2:9092).'),
  KAFKA_CLIENT_ID: z
    .string()
    .regex(/^[A-Za-z0-9._-]+$/, 'may only contain letters, digits, ".", "_" and "-"')
    .optional()
    .describe('Kafka client id, visible in broker logs and quotas. Defaults to leadscore-<service>.'),
  TOPIC_PREFIX: z
    .string()
    .regex(/^[A-Za-z0-9._-]*$/, 'may only contain letters, digits, ".", "_" and "-"')
    .default('')
    .describe('Prepended to every topic name (leadscore.activity.v1 becomes <prefix>leadscore.activity.v1).'),
  MIGRATE_ON_START: z
    .stringbool({ error: 'must be true or false' })
    .default(true)
    .describe(
      'Apply pending database migrations when the service starts (set false to run `pnpm migrate` yourself).',
    ),
  SHUTDOWN_GRACE_MS: wholeNumber(100, 600_000)
    .default(10_000)
    .describe(
      'On SIGTERM/SIGINT: time allowed to drain requests and consumers before the process exits anyway.',
    ),
  READINESS_TIMEOUT_MS: wholeNumber(50, 60_000)
    .default(2_000)
    .describe('Time each /readyz check (PostgreSQL, Kafka) may take before it counts as failed.'),
  INGEST_API_KEYS: apiKeyList.optional().meta({
    description:
      'Webhook API keys, comma-separated `<key id>:<sha256 hex of the key>:<scope>[+<scope>...]`. Only hashes are configured, never keys.',
    secret: true,
  }),
  INGEST_HMAC_SECRET: z.string().min(32, 'must be at least 32 characters').optional().meta({
    description: 'When set, webhook requests must carry an HMAC-SHA256 signature made with this secret.',
    secret: true,
  }),
  INGEST_RUN_CONSUMER: z
    .stringbool({ error: 'must be true or false' })
    .default(true)
    .describe(
      'Run the ingest consumer (Kafka -> event store) in the ingest process; false runs the webhook alone.',
    ),
  INGEST_RELAY: z
    .enum(['leader', 'single', 'off'], { error: 'must be leader, single or off' })
    .default('leader')
    .describe(
      'Outbox relay (event store -> Kafka) in the ingest process: leader = one instance elected by an advisory lock, single = this process only (polling, for one-connection databases), off.',
    ),
  INGEST_SIGNATURE_TOLERANCE_SECONDS: wholeNumber(1, 3_600)
    .default(300)
    .describe(
      'Replay window of signed webhook requests: how far their timestamp may be from the server clock.',
    ),
  INGEST_FUTURE_TOLERANCE_SECONDS: wholeNumber(0, 86_400)
    .default(300)
    .describe(
      "How far an event's occurredAt may be ahead of the server clock (the sender's clock running fast); later events are refused.",
    ),
  INGEST_RATE_LIMIT_PER_SECOND: wholeNumber(1, 1_000_000)
    .default(1_000)
    .describe('Sustained webhook requests per second allowed per API key (token bucket refill rate).'),
  INGEST_RATE_LIMIT_BURST: wholeNumber(1, 1_000_000)
    .default(2_000)
    .describe(
      'Webhook requests an API key may send in a burst above its sustained rate (token bucket size).',
    ),
  SCORING_RESCORING_BATCH_SIZE: wholeNumber(1, 100_000)
    .default(DEFAULT_RESCORING_BATCH_SIZE)
    .describe(
      'Leads the scoring service rescores per transaction when a ruleset version is published (one checkpoint each).',
    ),
  API_KEYS: apiKeyList.optional().meta({
    description: 'REST API keys, same format as INGEST_API_KEYS.',
    secret: true,
  }),
});

export type Env = z.infer<typeof envSchema>;
export type EnvVariable = keyof typeof envSchema.shape;
