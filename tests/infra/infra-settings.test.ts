import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  chooseSources,
  KAFKA_MODES,
  needsDockerProbe,
  POSTGRES_MODES,
  readInfraSettings,
} from '../setup/infra-settings.js';

const envArbitrary = fc.record(
  {
    KAFKA_BROKERS: fc.constantFrom('127.0.0.1:9092', 'a:1,b:2'),
    DATABASE_URL: fc.constant('postgres://u@h:5432/db'),
    LEADSCORE_TEST_KAFKA: fc.constantFrom(...KAFKA_MODES),
    LEADSCORE_TEST_PG: fc.constantFrom(...POSTGRES_MODES),
  },
  { requiredKeys: [] },
);

describe('choosing where Kafka and PostgreSQL come from', () => {
  it('uses the environment first, then Docker, then local provisioning, each part on its own', () => {
    fc.assert(
      fc.property(envArbitrary, fc.boolean(), (env, docker) => {
        const settings = readInfraSettings(env);
        const forcedWithoutDocker =
          !docker &&
          ((!env.KAFKA_BROKERS && env.LEADSCORE_TEST_KAFKA === 'container') ||
            (!env.DATABASE_URL && env.LEADSCORE_TEST_PG === 'container'));
        if (forcedWithoutDocker) {
          expect(() => chooseSources(settings, docker)).toThrow(/no Docker engine answers/);
          return;
        }
        const sources = chooseSources(settings, docker);
        const kafkaMode = env.LEADSCORE_TEST_KAFKA ?? 'auto';
        const pgMode = env.LEADSCORE_TEST_PG ?? 'auto';
        expect(sources.kafka).toBe(
          env.KAFKA_BROKERS ? 'env' : kafkaMode === 'auto' ? (docker ? 'container' : 'jars') : kafkaMode,
        );
        expect(sources.postgres).toBe(
          env.DATABASE_URL ? 'env' : pgMode === 'auto' ? (docker ? 'container' : 'local') : pgMode,
        );
        // Docker is asked about whenever its answer could change the outcome.
        let answerMatters: boolean;
        try {
          const withOther = chooseSources(settings, !docker);
          answerMatters = withOther.kafka !== sources.kafka || withOther.postgres !== sources.postgres;
        } catch {
          answerMatters = true;
        }
        if (answerMatters) expect(needsDockerProbe(settings)).toBe(true);
      }),
    );
  });

  it('splits KAFKA_BROKERS on commas', () => {
    expect(readInfraSettings({ KAFKA_BROKERS: 'a:1, b:2,' }).kafkaBrokers).toEqual(['a:1', 'b:2']);
  });

  it('does not ask Docker when both parts are given', () => {
    expect(
      needsDockerProbe(readInfraSettings({ KAFKA_BROKERS: 'a:1', DATABASE_URL: 'postgres://h/db' })),
    ).toBe(false);
  });

  it('rejects an unknown mode, naming the variable and the allowed values', () => {
    expect(() => readInfraSettings({ LEADSCORE_TEST_PG: 'docker' })).toThrow(
      'LEADSCORE_TEST_PG=docker is not one of auto, container, local, throwaway',
    );
  });
});
