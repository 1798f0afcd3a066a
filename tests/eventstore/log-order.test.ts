import { beforeAll, expect, it } from 'vitest';
import { type GlobalCheckpoint, readAll } from '../../packages/eventstore/src/index.js';
import { planOfQuery } from '../support/query-plans.js';
import { useEventStoreDatabase } from './event-store-database.js';

// Transaction ids whose text order differs from their order as numbers (9 and 10, 99 and 100,
// ...): a reader that sorted by the text would read 10 before 9, keep its checkpoint there, and
// never read 9. Each pair is older than the cluster's oldest running transaction, so the read
// horizon holds none back; a cluster just made by initdb has passed 100 already.
const EVENTS_PER_TRANSACTION = 3;
const transactions: bigint[] = [];

const pool = useEventStoreDatabase();

beforeAll(async () => {
  const { rows } = await pool().query<{ xmin: string }>(
    'SELECT pg_snapshot_xmin(pg_current_snapshot())::text AS xmin',
  );
  const horizon = BigInt(rows[0]!.xmin);
  for (let power = 10n; power < horizon; power *= 10n) transactions.push(power - 1n, power);
  expect(transactions.length).toBeGreaterThanOrEqual(4);
  // Stored as the append stores them, but under the chosen ids.
  await pool().query(
    `INSERT INTO eventstore.messages (stream_id, stream_position, event_id, type, data, occurred_at, transaction_id)
     SELECT 'lead-order', row_number() OVER (ORDER BY t.id, e.n), 'order-' || t.id || '-' || e.n,
            'page.visited', '{}', now(), t.id::text::xid8
       FROM unnest($1::bigint[]) AS t (id), generate_series(1, $2::int) AS e (n)
      ORDER BY t.id DESC, e.n`,
    [transactions.map(String), EVENTS_PER_TRANSACTION],
  );
});

it('reads the log in transaction order as numbers, whatever the page size, skipping nothing', async () => {
  const expected = transactions.flatMap((id) => Array(EVENTS_PER_TRANSACTION).fill(id));
  for (const limit of [1, 2, 5, 100]) {
    const read: bigint[] = [];
    let after: GlobalCheckpoint | undefined;
    for (;;) {
      const page = await readAll(pool(), { ...(after ? { after } : {}), limit });
      if (page.events.length === 0) break;
      read.push(...page.events.map((event) => event.transactionId));
      after = page.checkpoint;
    }
    expect(read, `pages of ${limit}`).toEqual(expected);
  }
});

it('reads a page in index order, sorting nothing', async () => {
  const nodes = await planOfQuery(pool(), (db) => readAll(db, { limit: 5 }));
  expect(nodes.filter((node) => node['Node Type'] === 'Sort')).toEqual([]);
});
