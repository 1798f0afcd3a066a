export { type ApiKeyEntry, apiKeyList } from './config/api-key-list.js';
export { ConfigError, type ConfigProblem } from './config/config-error.js';
export { describeConfigVariables, embedConfigTable, renderConfigTable } from './config/config-table.js';
export {
  DEFAULT_PORTS,
  DEFAULT_RESCORING_BATCH_SIZE,
  type Env,
  type EnvVariable,
  envSchema,
  SERVICE_NAMES,
  ServiceName,
} from './config/env-schema.js';
export { exitOnConfigError } from './config/exit-on-config-error.js';
export { type Config, loadConfig } from './config/load-config.js';
export { type EnvSource, parseEnv } from './config/parse-env.js';
export { type BinaryArrayType, type BinaryArrayValue, binaryArray } from './database/binary-array.js';
export { DatabaseUnreachableError } from './database/database-unreachable.js';
export {
  expectedSchemaVersion,
  MIGRATIONS_DIR,
  type MigrationResult,
  type MigrationSettings,
  type Queryable,
  readSchemaVersion,
  runMigrations,
} from './database/migrations.js';
export { createPool, type PoolSettings } from './database/pool.js';
export { ensureSchema, SchemaOutdatedError } from './database/schema-check.js';
export {
  type AuthenticatedKey,
  bearerToken,
  type ConfiguredApiKey,
  createApiKeyAuthenticator,
  hashApiKey,
} from './http/api-key-auth.js';
export {
  type ApiKeyAuthOptions,
  ApiKeyRefusal,
  type ApiKeyRefusalCode,
  apiKeyAuthPlugin,
  createKeyCheck,
} from './http/api-key-guard.js';
export { createHttpApp, type HttpAppOptions } from './http/create-http-app.js';
export { healthPlugin } from './http/health-plugin.js';
export { createMetricsRegistry, metricsPlugin } from './http/metrics-plugin.js';
export {
  HttpProblem,
  type InvalidField,
  PROBLEM_CONTENT_TYPE,
  type ProblemDetails,
  problemType,
  statusProblem,
  validationProblem,
} from './http/problem.js';
export { problemJsonPlugin, sendProblem } from './http/problem-plugin.js';
export { ProblemSchema } from './http/problem-schema.js';
export {
  busReadiness,
  CheckTimeoutError,
  postgresReadiness,
  type ReadinessCheck,
  runReadinessChecks,
} from './http/readiness-checks.js';
export {
  SHUTTING_DOWN_PROBLEM,
  SHUTTING_DOWN_RETRY_AFTER_SECONDS,
  shuttingDownPlugin,
} from './http/shutting-down-plugin.js';
export {
  MAX_UNSTORABLE_FIELDS,
  refuseUnstorableText,
  unstorableTextFields,
  unstorableTextReason,
} from './http/storable-text.js';
export { validationRefusal } from './http/validation-refusal.js';
export { createLogger, type Logger } from './logger.js';
export { installGracefulShutdown, type Shutdown } from './service/graceful-shutdown.js';
export { runService, type ServiceDefinition } from './service/run-service.js';
export type {
  BusConnectionSettings,
  ServiceBus,
  ServiceDependencies,
} from './service/service-dependencies.js';
