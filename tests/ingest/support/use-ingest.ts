import { afterAll, beforeAll } from 'vitest';
import { kafkaBrokers, type TestDatabase, uniqueTopicPrefix, useTestDatabase } from '../../support/infra.js';
import { type IngestUnderTest, type StartIngestOptions, startIngest } from './ingest-harness.js';

/**
 * Registers beforeAll/afterAll hooks giving the calling test file an ingest service of its own,
 * on a database and a topic prefix of its own. Hooks the file registers afterwards run before
 * the service is closed (vitest runs after-hooks in reverse order).
 */
export function useIngest(options: Pick<StartIngestOptions, 'env'> = {}): {
  readonly database: () => TestDatabase;
  readonly ingest: () => IngestUnderTest;
} {
  const database = useTestDatabase();
  let ingest: IngestUnderTest | undefined;
  beforeAll(async () => {
    ingest = await startIngest({
      databaseUrl: database().url,
      brokers: kafkaBrokers(),
      topicPrefix: uniqueTopicPrefix(),
      ...options,
    });
  });
  afterAll(async () => {
    await ingest?.close();
  });
  return {
    database,
    ingest: () => {
      if (!ingest) throw new Error('useIngest(): the service is only available inside tests and hooks');
      return ingest;
    },
  };
}
