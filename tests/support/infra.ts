import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, inject } from 'vitest';
import { createDatabaseOn, type DisposableDatabase } from './disposable-database.js';

/** Brokers of the real Kafka provisioned by tests/setup/global-setup.ts. */
export function kafkaBrokers(): string[] {
  return inject('kafkaBrokers');
}

/**
 * A topic prefix no other test file uses, so files can run in parallel on one broker. 64 random
 * bits: with 32, two of 10,000 prefixes were alike about once in a hundred runs (the birthday bound).
 */
export function uniqueTopicPrefix(): string {
  return `t${randomBytes(8).toString('hex')}.`;
}

export type TestDatabase = DisposableDatabase;

/** Creates an empty database of its own on the provisioned server. */
export function createTestDatabase(): Promise<TestDatabase> {
  return createDatabaseOn(inject('databaseUrl'), 'lstest');
}

/** Registers beforeAll/afterAll hooks giving the calling test file a database of its own. */
export function useTestDatabase(): () => TestDatabase {
  let db: TestDatabase | undefined;
  beforeAll(async () => {
    db = await createTestDatabase();
  });
  afterAll(async () => {
    await db?.drop();
  });
  return () => {
    if (!db) throw new Error('useTestDatabase(): database is only available inside tests and hooks');
    return db;
  };
}
