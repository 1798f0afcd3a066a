import { describe, expect, it } from 'vitest';
import { ConfigError } from './config-error.js';
import { DEFAULT_PORTS, SERVICE_NAMES } from './env-schema.js';
import { loadConfig } from './load-config.js';

const minimalEnv = {
  DATABASE_URL: 'postgres://leadscore:secret@db:5432/leadscore',
  KAFKA_BROKERS: 'kafka-1:9092, kafka-2:9092',
};

function configError(run: () => unknown): ConfigError {
  try {
    run();
  } catch (error) {
    if (error instanceof ConfigError) return error;
    throw error;
  }
  throw new Error('expected a ConfigError');
}

describe('loadConfig', () => {
  it('applies the documented defaults to a minimal environment', () => {
    const config = loadConfig(minimalEnv, 'ingest');
    expect(config).toMatchObject({
      service: 'ingest',
      nodeEnv: 'production',
      logLevel: 'info',
      http: { host: '0.0.0.0', port: 3001 },
      database: { url: minimalEnv.DATABASE_URL, poolMax: 10, statementTimeoutMs: 30_000 },
      kafka: { brokers: ['kafka-1:9092', 'kafka-2:9092'], clientId: 'leadscore-ingest', topicPrefix: '' },
      migrateOnStart: true,
      shutdownGraceMs: 10_000,
      ingest: { apiKeys: [], hmacSecret: undefined },
      api: { apiKeys: [] },
    });
  });

  it.each(SERVICE_NAMES)('gives %s its own default port, overridden by PORT', (service) => {
    expect(loadConfig(minimalEnv, service).http.port).toBe(DEFAULT_PORTS[service]);
    expect(loadConfig({ ...minimalEnv, PORT: '8080' }, service).http.port).toBe(8080);
  });

  it('gives the four services four different default ports', () => {
    expect(new Set(Object.values(DEFAULT_PORTS)).size).toBe(SERVICE_NAMES.length);
  });

  it('reads booleans, numbers and the topic prefix', () => {
    const config = loadConfig(
      {
        ...minimalEnv,
        MIGRATE_ON_START: 'false',
        DATABASE_POOL_MAX: '25',
        SHUTDOWN_GRACE_MS: '3000',
        TOPIC_PREFIX: 'staging.',
        KAFKA_CLIENT_ID: 'scoring-eu-1',
      },
      'scoring',
    );
    expect(config.migrateOnStart).toBe(false);
    expect(config.database.poolMax).toBe(25);
    expect(config.shutdownGraceMs).toBe(3000);
    expect(config.kafka.topicPrefix).toBe('staging.');
    expect(config.kafka.clientId).toBe('scoring-eu-1');
  });

  it('treats an empty value as unset', () => {
    expect(loadConfig({ ...minimalEnv, PORT: '', LOG_LEVEL: '' }, 'api')).toMatchObject({
      http: { port: 3000 },
      logLevel: 'info',
    });
  });

  it('parses API key lists into id, digest and scopes', () => {
    const digest = 'a'.repeat(64);
    const config = loadConfig(
      {
        ...minimalEnv,
        INGEST_API_KEYS: `esp:${digest}:events.write, crm:${'b'.repeat(64)}:events.write+leads.read`,
      },
      'ingest',
    );
    expect(config.ingest.apiKeys).toEqual([
      { id: 'esp', sha256: digest, scopes: ['events.write'] },
      { id: 'crm', sha256: 'b'.repeat(64), scopes: ['events.write', 'leads.read'] },
    ]);
  });

  it('names every missing and every invalid variable in one error', () => {
    const error = configError(() =>
      loadConfig(
        { PORT: 'abc', LOG_LEVEL: 'loud', MIGRATE_ON_START: 'perhaps', KAFKA_BROKERS: 'kafka' },
        'api',
      ),
    );
    expect(error.code).toBe('CONFIG_INVALID');
    expect(error.message.split('\n')[0]).toBe(
      'Invalid configuration for leadscore api: 5 problem(s) in the environment',
    );
    expect(error.problems.map((problem) => problem.variable).sort()).toEqual([
      'DATABASE_URL',
      'KAFKA_BROKERS',
      'LOG_LEVEL',
      'MIGRATE_ON_START',
      'PORT',
    ]);
    expect(error.message).toContain('DATABASE_URL: is required but not set');
    expect(error.message).toContain('PORT: must be a whole number (got "abc")');
    expect(error.message).toContain('KAFKA_BROKERS: [0]: each broker must be host:port');
  });

  it('rejects out-of-range numbers with the bound', () => {
    const error = configError(() =>
      loadConfig({ ...minimalEnv, PORT: '70000', DATABASE_POOL_MAX: '0' }, 'api'),
    );
    expect(error.problems).toEqual([
      { variable: 'PORT', reason: 'must be at most 65535 (got "70000")' },
      { variable: 'DATABASE_POOL_MAX', reason: 'must be at least 1 (got "0")' },
    ]);
  });

  it('never echoes the value of a secret variable', () => {
    const error = configError(() =>
      loadConfig(
        {
          ...minimalEnv,
          DATABASE_URL: 'mysql://root:hunter2@db/leadscore',
          INGEST_HMAC_SECRET: 'too-short-hunter2',
          API_KEYS: 'ops:hunter2:leads.read',
        },
        'api',
      ),
    );
    expect(error.problems.map((problem) => problem.variable)).toEqual([
      'DATABASE_URL',
      'INGEST_HMAC_SECRET',
      'API_KEYS',
    ]);
    expect(error.message).not.toContain('hunter2');
  });

  it('explains a malformed API key entry without showing it', () => {
    const error = configError(() =>
      loadConfig({ ...minimalEnv, INGEST_API_KEYS: `esp:${'a'.repeat(64)}:events.write,broken` }, 'ingest'),
    );
    expect(error.problems).toEqual([
      {
        variable: 'INGEST_API_KEYS',
        reason: 'entry 1 is not <key id>:<sha256 hex>:<scope>[+<scope>...]',
      },
    ]);
  });

  it('points at the bad field of an API key entry', () => {
    const error = configError(() => loadConfig({ ...minimalEnv, API_KEYS: 'ops:ABC:leads.read' }, 'api'));
    expect(error.problems).toEqual([
      { variable: 'API_KEYS', reason: '[0].sha256: must be 64 lower-case hex characters (a SHA-256)' },
    ]);
  });
});
