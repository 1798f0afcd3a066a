import { beforeAll, expect, it } from 'vitest';
import { atomicallyOpenedWith } from '../../packages/eventstore/src/index.js';
import { compileRuleset, defaultRuleset, emptyLeadState } from '../../packages/scoring/src/index.js';
import { batchOpening, batchReads } from '../../services/scoring/src/store/batch-opening.js';
import { useMigratedDatabase } from '../support/migrated-database.js';

const { pool } = useMigratedDatabase();

const odd = [
  `lead-o'brien`,
  'lead-back\\slash',
  'lead-"quoted"',
  'lead-é€-日本',
  "lead-'; DROP TABLE lead_scores; --",
];
const plain = 'lead-plain';
const unknown = 'lead-without-a-record';

beforeAll(async () => {
  const state = JSON.stringify(emptyLeadState(compileRuleset(defaultRuleset)));
  for (const [i, leadId] of [...odd, plain].entries()) {
    await pool().query(
      `INSERT INTO lead_scores (lead_id, engagement, fit, total, grade, temperature, scored_at, state,
                                last_global_position, last_event_id, ruleset_id, ruleset_version)
       VALUES ($1, $2, 0, $2, 'F', 'cold', now(), $3, $4, $5, 'default', 1)`,
      [leadId, i, state, i + 1, `event-${i}`],
    );
  }
  // Left-overs of two leads, in an order across leads the batch must keep (outbox ids).
  for (const [leadId, n] of [
    [odd[1]!, 1],
    [plain, 2],
    [odd[1]!, 3],
  ] as const) {
    await pool().query(`INSERT INTO scoring_outbox (lead_id, topic, key, value) VALUES ($1, 't', $1, $2)`, [
      leadId,
      JSON.stringify({ n }),
    ]);
  }
});

async function openBatch(first: string | undefined, leadIds: readonly string[]) {
  return atomicallyOpenedWith(pool(), 'test', batchOpening(first, leadIds), async (_client, opened) => ({
    reads: batchReads(opened),
    resultCount: opened.length,
  }));
}

it("reads the batch's records and left-overs in one opening, ids with quotes, backslashes and non-ASCII as they are", async () => {
  const { reads } = await openBatch(undefined, [...odd, plain, unknown]);

  expect([...reads.records.keys()].sort()).toEqual([...odd, plain].sort());
  expect(reads.records.get(odd[3]!)?.lastEventId).toBe('event-3');
  expect(reads.records.get(odd[4]!)?.view.total).toBe(4);
  expect(reads.records.has(unknown)).toBe(false);
  expect(reads.leftovers.map(({ leadId, key, value }) => [leadId, key, JSON.parse(value).n])).toEqual([
    [odd[1], odd[1], 1],
    [plain, plain, 2],
    [odd[1], odd[1], 3],
  ]);
  // Nothing was dropped by the literal's quoting.
  expect((await pool().query('SELECT count(*)::int AS n FROM lead_scores')).rows[0].n).toBe(odd.length + 1);
});

it("reads only the batch's leads, after the statements it is asked to run first", async () => {
  const { reads, resultCount } = await openBatch('SELECT 1; SELECT 2', [plain]);

  expect(resultCount).toBe(5); // the two asked for, the unpacking, the left-overs, the records
  expect([...reads.records.keys()]).toEqual([plain]);
  expect(reads.leftovers.map(({ leadId }) => leadId)).toEqual([plain]);
});

it('unpacks left-over rescoring batches whose range holds one of its leads, so a lead keeps its order', async () => {
  const messages = (entries: readonly (readonly [string, string])[]) =>
    JSON.stringify(
      entries.map(([leadId, n]) => ({ lead_id: leadId, topic: 't', key: leadId, value: { n } })),
    );
  // An older live message of rescored-b, then two rescoring batches left over by a crash.
  await pool().query(
    `INSERT INTO scoring_outbox (lead_id, topic, key, value) VALUES ('rescored-b', 't', 'rescored-b', $1)`,
    [JSON.stringify({ n: 'live' })],
  );
  await pool().query(
    `INSERT INTO rescoring_outbox (first_lead_id, last_lead_id, messages)
     VALUES ('rescored-a', 'rescored-c', $1), ('rescored-x', 'rescored-z', $2)`,
    [
      messages([
        ['rescored-a', 'a'],
        ['rescored-b', 'b'],
        ['rescored-c', 'c'],
      ]),
      messages([['rescored-y', 'y']]),
    ],
  );

  const { reads } = await openBatch(undefined, ['rescored-b']);

  expect(reads.leftovers.map(({ leadId, value }) => [leadId, JSON.parse(value).n])).toEqual([
    ['rescored-b', 'live'],
    ['rescored-b', 'b'],
  ]);
  // The covering batch was unpacked whole: its other leads' messages wait for their own batches.
  const unpacked = await pool().query(
    `SELECT lead_id, value->>'n' AS n FROM scoring_outbox WHERE lead_id IN ('rescored-a', 'rescored-c') ORDER BY id`,
  );
  expect(unpacked.rows).toEqual([
    { lead_id: 'rescored-a', n: 'a' },
    { lead_id: 'rescored-c', n: 'c' },
  ]);
  const left = await pool().query('SELECT first_lead_id FROM rescoring_outbox');
  expect(left.rows).toEqual([{ first_lead_id: 'rescored-x' }]);
});
