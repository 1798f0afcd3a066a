import type { TestProject } from 'vitest/node';

// Minimal first cut: infrastructure comes from the environment.
// Provisioning (testcontainers, Kafka from jars, local/throwaway PostgreSQL) is added next.
declare module 'vitest' {
  export interface ProvidedContext {
    kafkaBrokers: string[];
    databaseUrl: string;
  }
}

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const brokers = process.env.KAFKA_BROKERS;
  const databaseUrl = process.env.DATABASE_URL;
  if (!brokers || !databaseUrl) {
    throw new Error('KAFKA_BROKERS and DATABASE_URL must be set (provisioning not built yet)');
  }
  project.provide('kafkaBrokers', brokers.split(','));
  project.provide('databaseUrl', databaseUrl);
  return async () => {};
}
