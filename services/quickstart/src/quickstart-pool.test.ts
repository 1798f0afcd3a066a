import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { appendToStreams, readStream, sessionStatements } from '@leadscore/eventstore';
import { createLogger, runMigrations } from '@leadscore/platform';
import type pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type EmbeddedPostgres, startEmbeddedPostgres } from './embedded-postgres.js';
import { createQuickstartPool } from './quickstart-pool.js';

const logger = createLogger({ service: 'quickstart-test', level: 'silent' });
const streamId = 'lead-shared-session';

// A statement prepared with SQL PREPARE by name, as the scoring service's batch openings are.
const prepareSessionStatement = sessionStatements('quickstart-pool-test', {
  quickstart_pool_test_next: '(int) AS SELECT $1 + 1 AS next',
});

let home: string;
let postgres: EmbeddedPostgres;
let pool: pg.Pool;
let appended = 0;

beforeAll(async () => {
  home = mkdtempSync(join(tmpdir(), 'lsqs-pool-'));
  postgres = await startEmbeddedPostgres(join(home, 'pgdata'));
  await runMigrations({ databaseUrl: postgres.url, logger });
  pool = createQuickstartPool({
    database: { url: postgres.url, poolMax: 1, statementTimeoutMs: 30_000 },
    embedded: true,
    logger,
  });
}, 120_000);

afterAll(async () => {
  await pool?.end();
  await postgres?.stop();
  rmSync(home, { recursive: true, force: true });
});

/** Every kind of prepared statement the services use, on whatever connection the pool has now. */
async function usePreparedStatements(): Promise<void> {
  appended += 1;
  const event = { id: `event-${appended}`, type: 'page.visited', data: {}, occurredAt: new Date() };
  // The append both EXECUTEs SQL-prepared statements and sends a protocol-level named one.
  await appendToStreams(pool, [{ streamId, events: [event] }]);
  expect((await readStream(pool, streamId)).currentVersion).toBe(appended);

  const named = await pool.query({ name: 'quickstart_pool_test_named', text: 'SELECT $1::int AS n' }, [7]);
  expect(named.rows).toEqual([{ n: 7 }]);

  const client = await pool.connect();
  try {
    await prepareSessionStatement(client);
    const executed = await client.query('EXECUTE quickstart_pool_test_next (41)');
    expect(executed.rows).toEqual([{ next: 42 }]);
  } finally {
    client.release();
  }
}

describe('the quickstart pool on PGlite', () => {
  it('keeps appends and prepared statements working after a statement fails', async () => {
    await usePreparedStatements();

    // PostgreSQL refuses NUL in text; pg's pool then replaces the connection it ran on.
    await expect(pool.query('SELECT $1::text AS text', ['a\u0000b'])).rejects.toMatchObject({
      code: '22021',
    });

    await usePreparedStatements();
  });

  it('gives a connection that replaces another a session without its prepared statements', async () => {
    await usePreparedStatements();

    // Released with an error, as a lost connection is: the pool ends it and opens another.
    const replaced = await pool.connect();
    replaced.release(new Error('connection lost'));

    const { rows } = await pool.query<{ count: number }>(
      'SELECT count(*)::int AS count FROM pg_prepared_statements',
    );
    expect(rows).toEqual([{ count: 0 }]);
    await usePreparedStatements();
  });
});
