import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { afterAll, beforeAll, inject } from 'vitest';

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

export interface TestDatabase {
  readonly name: string;
  readonly url: string;
  drop(): Promise<void>;
}

/** Creates an empty database of its own on the provisioned server. */
export async function createTestDatabase(): Promise<TestDatabase> {
  const adminUrl = inject('databaseUrl');
  const name = `lstest_${randomBytes(6).toString('hex')}`;
  await withAdminClient(adminUrl, (client) => client.query(`CREATE DATABASE ${name}`));
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  return {
    name,
    url: url.toString(),
    drop: () =>
      withAdminClient(adminUrl, async (client) => {
        await untilDisconnected(client, name);
        await client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      }),
  };
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

/**
 * pg's Pool.end() resolves once its clients are told to end, before their sockets are closed. A
 * DROP ... WITH (FORCE) right after would terminate those connections, and the FATAL message
 * reaching a client whose pool no longer listens crashes the test run. So wait (briefly) for the
 * connections to go by themselves; FORCE then only ends what a test really leaked.
 */
async function untilDisconnected(client: pg.Client, database: string, timeoutMs = 5_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const { rows } = await client.query<{ connected: number }>(
      'SELECT count(*)::int AS connected FROM pg_stat_activity WHERE datname = $1',
      [database],
    );
    if (rows[0]?.connected === 0 || Date.now() > deadline) return;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

async function withAdminClient<T>(adminUrl: string, fn: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}
