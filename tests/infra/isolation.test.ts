import pg from 'pg';
import { afterAll, describe, expect, inject, it } from 'vitest';
import {
  createTestDatabase,
  type TestDatabase,
  uniqueTopicPrefix,
  useTestDatabase,
} from '../support/infra.js';

async function databaseNames(): Promise<string[]> {
  const client = new pg.Client({ connectionString: inject('databaseUrl') });
  await client.connect();
  try {
    const result = await client.query<{ datname: string }>('SELECT datname FROM pg_database');
    return result.rows.map((row) => row.datname);
  } finally {
    await client.end();
  }
}

async function currentDatabase(url: string): Promise<string> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const result = await client.query<{ name: string }>('SELECT current_database() AS name');
    return result.rows[0]!.name;
  } finally {
    await client.end();
  }
}

describe('createTestDatabase', () => {
  it('creates distinct databases, each reachable by its url, and drop removes them', async () => {
    const first = await createTestDatabase();
    const second = await createTestDatabase();
    try {
      expect(first.name).not.toBe(second.name);
      expect(await currentDatabase(first.url)).toBe(first.name);
      expect(await currentDatabase(second.url)).toBe(second.name);
      expect(await databaseNames()).toEqual(expect.arrayContaining([first.name, second.name]));
    } finally {
      await first.drop();
      await second.drop();
    }
    const remaining = await databaseNames();
    expect(remaining).not.toContain(first.name);
    expect(remaining).not.toContain(second.name);
  });

  it('drops a database even while a client is still connected to it', async () => {
    const db = await createTestDatabase();
    const client = new pg.Client({ connectionString: db.url });
    client.on('error', () => {});
    await client.connect();
    await db.drop();
    await client.end().catch(() => {});
    expect(await databaseNames()).not.toContain(db.name);
  });
});

describe('useTestDatabase', () => {
  let seen: TestDatabase | undefined;

  describe('inside a file that uses it', () => {
    const database = useTestDatabase();

    it('gives the file a database of its own that keeps state between its tests', async () => {
      seen = database();
      const client = new pg.Client({ connectionString: seen.url });
      await client.connect();
      try {
        await client.query('CREATE TABLE marker (id int)');
        await client.query('INSERT INTO marker VALUES (1)');
      } finally {
        await client.end();
      }
    });

    it('is the same database in the next test of the file', async () => {
      expect(database().name).toBe(seen?.name);
      const client = new pg.Client({ connectionString: database().url });
      await client.connect();
      try {
        const result = await client.query<{ id: number }>('SELECT id FROM marker');
        expect(result.rows).toEqual([{ id: 1 }]);
      } finally {
        await client.end();
      }
    });
  });

  afterAll(async () => {
    // The inner suite's afterAll has run by now: its database must be gone.
    expect(seen).toBeDefined();
    expect(await databaseNames()).not.toContain(seen?.name);
  });
});

describe('uniqueTopicPrefix', () => {
  it('never repeats and only uses characters Kafka allows in topic names', () => {
    const prefixes = Array.from({ length: 10_000 }, () => uniqueTopicPrefix());
    expect(new Set(prefixes).size).toBe(prefixes.length);
    for (const prefix of prefixes) expect(prefix).toMatch(/^[a-zA-Z0-9._-]+$/);
  });
});
