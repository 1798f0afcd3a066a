import type { TestProject } from 'vitest/node';
import { provisionTestInfrastructure } from './provision.js';

declare module 'vitest' {
  export interface ProvidedContext {
    kafkaBrokers: string[];
    databaseUrl: string;
  }
}

/** vitest globalSetup of the `integration` project: one Kafka and one PostgreSQL for the whole run. */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const infrastructure = await provisionTestInfrastructure();
  project.provide('kafkaBrokers', infrastructure.kafkaBrokers);
  project.provide('databaseUrl', infrastructure.databaseUrl);
  return () => infrastructure.teardown();
}
