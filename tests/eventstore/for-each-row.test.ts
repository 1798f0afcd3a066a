/**
 * forEachRow hands rows over one by one as they arrive, on a pool or on a client inside a
 * transaction, and a visitor that throws neither escapes into the driver nor spoils the
 * connection.
 */
import { describe, expect, it } from 'vitest';
import { forEachRow } from '../../packages/eventstore/src/index.js';
import { useMigratedDatabase } from '../support/migrated-database.js';

// One connection: a call that did not give its client back would leave the next one waiting.
const { pool } = useMigratedDatabase(1);

const seriesSql = 'SELECT n, n * n AS square FROM generate_series(1, $1::int) AS n ORDER BY n';

describe('forEachRow', () => {
  it('visits every row in order and counts them, on the pool again and again', async () => {
    for (const size of [3, 0, 1_000]) {
      const seen: [number, number][] = [];
      const count = await forEachRow<{ n: number; square: number }>(pool(), seriesSql, [size], (row) =>
        seen.push([row.n, row.square]),
      );
      expect(count).toBe(size);
      expect(seen).toEqual(Array.from({ length: size }, (_, i) => [i + 1, (i + 1) ** 2]));
    }
  });

  it('rejects with the first error a visit throws, after the query ended, and visits nothing after it', async () => {
    const client = await pool().connect();
    try {
      await client.query('BEGIN');
      const visited: number[] = [];
      const failure = forEachRow<{ n: number }>(client, seriesSql, [10], (row) => {
        visited.push(row.n);
        if (row.n >= 4) throw new Error(`refused row ${row.n}`);
      });
      await expect(failure).rejects.toThrow('refused row 4');
      expect(visited).toEqual([1, 2, 3, 4]);
      // The same connection, still inside its transaction, answers the next statement.
      const { rows } = await client.query<{ ok: number }>('SELECT 1 AS ok');
      expect(rows).toEqual([{ ok: 1 }]);
      await client.query('COMMIT');
    } finally {
      client.release();
    }
  });

  it("rejects with the server's error and gives the pool's client back", async () => {
    await expect(forEachRow(pool(), 'SELECT 1 / $1::int AS q', [0], () => {})).rejects.toThrow(
      'division by zero',
    );
    await expect(forEachRow(pool(), seriesSql, [2], () => {})).resolves.toBe(2);
  });
});
