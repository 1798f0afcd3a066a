import type pg from 'pg';
import { beforeAll, expect, it } from 'vitest';
import { type GlobalCheckpoint, readAll } from '../../packages/eventstore/src/index.js';
import { eventsHeldBack } from '../../packages/eventstore/src/read-all.js';
import { type PlanNode, planOfQuery, rowsReadFrom } from '../support/query-plans.js';
import { useEventStoreDatabase } from './event-store-database.js';

// The reads a tailing reader (the relay) repeats while it is caught up must cost a few index
// entries, not a pass over the log: it asks them several times a second, and the log only grows.
const EVENTS = 30_000;

const pool = useEventStoreDatabase();
const planOf = (read: (db: pg.Pool) => Promise<unknown>) => planOfQuery(pool(), read);
const logRowsRead = (nodes: PlanNode[]) => rowsReadFrom(nodes, 'messages');

let end: GlobalCheckpoint;

beforeAll(async () => {
  // Planned without statistics, as a young or fast-growing log often is between two autovacuum
  // passes: the plan must not depend on them.
  await pool().query('ALTER TABLE eventstore.messages SET (autovacuum_enabled = false)');
  await pool().query(
    `INSERT INTO eventstore.streams (stream_id, version, first_occurred_at)
     SELECT 'lead-plan-' || i, 1, now() FROM generate_series(1, $1::int) AS i`,
    [EVENTS],
  );
  await pool().query(
    `INSERT INTO eventstore.messages (stream_id, stream_position, event_id, type, data, occurred_at)
     SELECT 'lead-plan-' || i, 1, 'plan-' || i, 'page.visited', '{}', now()
       FROM generate_series(1, $1::int) AS i`,
    [EVENTS],
  );
  // Named apart from the column: ORDER BY transaction_id would otherwise sort by the text.
  const { rows } = await pool().query<{ transaction_text: string; global_position: string }>(
    `SELECT transaction_id::text AS transaction_text, global_position FROM eventstore.messages
      ORDER BY transaction_id DESC, global_position DESC LIMIT 1`,
  );
  end = {
    transactionId: BigInt(rows[0]!.transaction_text),
    globalPosition: BigInt(rows[0]!.global_position),
  };
}, 60_000);

it('a caught-up reader asking whether events wait behind the horizon reads no row of the log', async () => {
  expect(await eventsHeldBack(pool(), end)).toBe(false);
  const nodes = await planOf((db) => eventsHeldBack(db, end));
  expect(nodes.filter((node) => node['Node Type'] === 'Seq Scan')).toEqual([]);
  expect(logRowsRead(nodes)).toBe(0);
});

it('a reader behind the end is told so by the first event after it', async () => {
  const behind = { ...end, globalPosition: end.globalPosition - 1n };
  expect(await eventsHeldBack(pool(), behind)).toBe(true);
  expect(logRowsRead(await planOf((db) => eventsHeldBack(db, behind)))).toBe(1);
});

it('a caught-up reader reading the log reads no row of it', async () => {
  expect((await readAll(pool(), { after: end, limit: 500 })).events).toEqual([]);
  const nodes = await planOf((db) => readAll(db, { after: end, limit: 500 }));
  expect(nodes.filter((node) => node['Node Type'] === 'Seq Scan')).toEqual([]);
  expect(logRowsRead(nodes)).toBe(0);
});
