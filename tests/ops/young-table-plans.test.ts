/**
 * The statements every batch of the pipeline runs must find a batch's rows by key, not by a pass
 * over the table, even when the table was never analyzed (a new deployment, autovacuum off or
 * behind) and when a prepared statement keeps the plan it was given while the table was nearly
 * empty. Each test warms a statement up on a young table, grows the table to TABLE_ROWS rows
 * without statistics, and reads the plan the same connection then runs.
 */
import pg from 'pg';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { appendToStreams } from '../../packages/eventstore/src/index.js';
import { compileRuleset, defaultRuleset, emptyLeadState } from '../../packages/scoring/src/index.js';
import type { LeadStage } from '../../services/projector/src/stages/lead-stage.js';
import { lockLeadStages, updateLeadStages } from '../../services/projector/src/stages/lead-stage-table.js';
import { batchOpening } from '../../services/scoring/src/store/batch-opening.js';
import { useMigratedDatabase } from '../support/migrated-database.js';
import { nodesOf, type PlanNode, planOfQuery } from '../support/query-plans.js';

const TABLE_ROWS = 20_000;
const BATCH = 100;
// PostgreSQL gives a prepared statement its cached generic plan from the sixth execution on.
const WARM_UP_EXECUTIONS = 8;

const { database, pool } = useMigratedDatabase();
let client: pg.PoolClient;

const batchIds = (prefix: string) =>
  Array.from({ length: BATCH }, (_, i) => `${prefix}-${(i * 197) % TABLE_ROWS}`);
const seqScansOf = (nodes: readonly PlanNode[], relation: string) =>
  nodes.filter((node) => node['Node Type'] === 'Seq Scan' && node['Relation Name'] === relation);

async function explainExecute(on: pg.ClientBase, statement: string, args: string): Promise<PlanNode[]> {
  const { rows } = await on.query(`EXPLAIN (ANALYZE, FORMAT JSON) EXECUTE ${statement} (${args})`);
  return nodesOf(rows[0]['QUERY PLAN'][0].Plan);
}

/** The plan of the one statement `run` sends on the test's connection, in a rolled back transaction. */
const planOfStatement = (run: (db: pg.ClientBase) => Promise<unknown>) =>
  rolledBack(() => planOfQuery(client as unknown as pg.Pool, (db) => run(db as unknown as pg.ClientBase)));

/** Runs `work` in a transaction that is rolled back: the plan tests leave the tables as they were. */
async function rolledBack<T>(work: () => Promise<T>, on: pg.ClientBase = client): Promise<T> {
  await on.query('BEGIN');
  try {
    return await work();
  } finally {
    await on.query('ROLLBACK');
  }
}

beforeAll(async () => {
  for (const table of ['lead_scores', 'scoring_outbox', 'lead_stages', 'eventstore.streams'])
    await pool().query(`ALTER TABLE ${table} SET (autovacuum_enabled = false)`);
  client = await pool().connect();
});

afterAll(async () => {
  client?.release();
});

it("the scorer's batch opening locks its leads' records and left-overs by key", async () => {
  const ids = batchIds('lead-score');
  for (let i = 0; i < WARM_UP_EXECUTIONS; i += 1)
    await rolledBack(async () => client.query(await batchOpening(undefined, ids)(client)));
  const state = JSON.stringify(emptyLeadState(compileRuleset(defaultRuleset)));
  await pool().query(
    `INSERT INTO lead_scores (lead_id, engagement, fit, total, grade, temperature, scored_at, state,
                              last_global_position, last_event_id, ruleset_id, ruleset_version)
     SELECT 'lead-score-' || i, 0, 0, i, 'F', 'cold', now(), $2, i + 1, 'event-' || i, 'default', 1
       FROM generate_series(0, $1::int - 1) AS i`,
    [TABLE_ROWS, state],
  );

  // Published messages of other leads; two left-overs of one lead of the batch, in outbox order.
  await pool().query(
    `INSERT INTO scoring_outbox (lead_id, topic, key, value)
     SELECT 'lead-published-' || i, 't', 'k', '{}' FROM generate_series(1, $1::int) AS i`,
    [TABLE_ROWS],
  );
  const leftOvers = await pool().query<{ id: string }>(
    `INSERT INTO scoring_outbox (lead_id, topic, key, value)
     VALUES ($1, 't', $1, '{"n":1}'), ($1, 't', $1, '{"n":2}') RETURNING id`,
    [ids[1]],
  );

  const args = pg.escapeLiteral(JSON.stringify(ids));
  const records = await rolledBack(() => explainExecute(client, 'scoring_batch_records', args));
  expect(seqScansOf(records, 'lead_scores')).toEqual([]);
  expect(records[0]?.['Actual Rows']).toBe(BATCH);
  const pending = await rolledBack(() => explainExecute(client, 'scoring_batch_pending', args));
  expect(seqScansOf(pending, 'scoring_outbox')).toEqual([]);
  const { rows } = await rolledBack(() =>
    client.query<{ id: string }>(`EXECUTE scoring_batch_pending (${args})`),
  );
  expect(rows.map((row) => row.id)).toEqual(leftOvers.rows.map((row) => row.id));
});

it("the projector reads, locks and rewrites its leads' stage rows by key", async () => {
  const ids = batchIds('lead-stage');
  await pool().query(
    `INSERT INTO lead_stages (lead_id, stage, ruleset_id, ruleset_version, engagement, fit, total, grade,
                              temperature, two_way, score_at)
     SELECT 'lead-stage-' || i, 'lead', 'default', 1, 0, 0, i, 'F', 'cold', false, now()
       FROM generate_series(0, $1::int - 1) AS i`,
    [TABLE_ROWS],
  );
  const locked = await rolledBack(() => lockLeadStages(client, ids));
  expect(locked.size).toBe(BATCH);
  const rewritten: LeadStage[] = [...locked.values()].map((lead) => ({ ...lead, stage: 'mql', since: 1 }));

  expect(seqScansOf(await planOfStatement((db) => lockLeadStages(db, ids)), 'lead_stages')).toEqual([]);
  expect(seqScansOf(await planOfStatement((db) => updateLeadStages(db, rewritten)), 'lead_stages')).toEqual(
    [],
  );

  // The rewrite is still a rewrite: every row changed, none added.
  await rolledBack(async () => {
    await updateLeadStages(client, rewritten);
    const { rows } = await client.query<{ mql: string; all: string }>(
      `SELECT count(*) FILTER (WHERE stage = 'mql') AS mql, count(*) AS all FROM lead_stages`,
    );
    expect(rows[0]).toEqual({ mql: String(BATCH), all: String(TABLE_ROWS) });
  });
});

it("an append moves its streams' versions by key", async () => {
  const event = (streamId: string, n: number) => ({
    streamId,
    expectedVersion: 'any' as const,
    events: [{ id: `${streamId}-e${n}`, type: 'page.visited', data: {}, occurredAt: new Date() }],
  });
  // Each warm-up append moves the same young streams, as a live ingest does; a pool of one
  // connection, so that the statement it prepares is the one explained.
  const single = new pg.Pool({ connectionString: database().url, max: 1 });
  try {
    for (let i = 0; i < WARM_UP_EXECUTIONS; i += 1)
      await appendToStreams(
        single,
        ['young-1', 'young-2'].map((streamId) => event(streamId, i)),
      );
    await pool().query(
      `INSERT INTO eventstore.streams (stream_id, version, first_occurred_at)
       SELECT 'lead-stream-' || i, 1, now() FROM generate_series(0, $1::int - 1) AS i`,
      [TABLE_ROWS],
    );

    const ids = batchIds('lead-stream');
    const appender = await single.connect();
    const nodes = await rolledBack(
      () =>
        explainExecute(
          appender,
          'eventstore_append_insert',
          [
            `'[]'`,
            pg.escapeLiteral(`{${ids.join(',')}}`),
            pg.escapeLiteral(`{${ids.map(() => 2).join(',')}}`),
            pg.escapeLiteral(`{${ids.map(() => new Date().toISOString()).join(',')}}`),
            `'{}'`,
            `'{}'`,
            `'{}'`,
          ].join(', '),
        ),
      appender,
    ).finally(() => appender.release());
    expect(seqScansOf(nodes, 'streams')).toEqual([]);
    expect(nodes.find((node) => node['Relation Name'] === 'streams')?.['Node Type']).toBeDefined();
  } finally {
    await single.end();
  }
});
