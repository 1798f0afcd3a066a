import { beforeAll, describe, expect, it } from 'vitest';
import { compileRuleset, defaultRuleset, foldEvents, scoreAt } from '../../packages/scoring/src/index.js';
import { type LeadSort, listLeads } from '../../services/api/src/read-models/list-leads.js';
import { storeScoredBatch } from '../../services/scoring/src/store/store-scored-batch.js';
import { useMigratedDatabase } from '../support/migrated-database.js';
import { type PlanNode, planOfQuery, rowsReadFrom } from '../support/query-plans.js';

const ruleset = compileRuleset(defaultRuleset);
const LEADS = 20_000;
const LIMIT = 50;
const T = Date.UTC(2026, 3, 1);

const { pool } = useMigratedDatabase();

/** Runs the real listing query under EXPLAIN ANALYZE and returns every node of its plan. */
const planOf = (options: Parameters<typeof listLeads>[1]) =>
  planOfQuery(pool(), (db) => listLeads(db, options));

const indexesOf = (nodes: PlanNode[]) =>
  nodes.filter((node) => node['Relation Name'] === 'lead_scores').map((node) => node['Index Name']);

/**
 * What a page may cost in rows read. The planner may read the cursor's tie group through the
 * primary key and skip the other totals (one in five here), so a page reads a few pages' worth,
 * but never the 10,000 rows before the cursor that OFFSET would.
 */
const PAGE_COST = 10 * (LIMIT + 1);

/** Rows the scans of lead_scores read (returned or filtered out): what a page costs. */
const rowsRead = (nodes: PlanNode[]) => rowsReadFrom(nodes, 'lead_scores');

beforeAll(async () => {
  // Scores through the scoring service's own writer; 1 to 5 page visits each, so totals tie in
  // groups of 4,000: the case where a keyset condition that filters instead of seeking shows.
  const client = await pool().connect();
  try {
    for (let start = 0; start < LEADS; start += 2_000) {
      const records = Array.from({ length: 2_000 }, (_, offset) => {
        const index = start + offset;
        const events = Array.from({ length: 1 + (index % 5) }, (_, i) => ({
          id: `plan-${index}-${i}`,
          type: 'page.visited',
          occurredAt: T + i * 60_000,
          properties: { url: `/blog/${i}` },
        }));
        const state = foldEvents(events, ruleset);
        const view = scoreAt(state, T + 10 * 60_000, ruleset);
        return {
          leadId: `plan-${String(index).padStart(6, '0')}`,
          email: undefined,
          state,
          view,
          lastGlobalPosition: BigInt(index + 1),
          lastEventId: `plan-${index}-0`,
          rulesetId: 'default',
          rulesetVersion: 1,
          nextCrossingAt: null,
          firstTouch: null,
          lastTouch: null,
        };
      });
      await storeScoredBatch(client, records, []);
    }
  } finally {
    client.release();
  }
  await pool().query('ANALYZE lead_scores');
});

async function middleOf(sort: LeadSort) {
  const order = sort === '-score' ? 'total DESC, lead_id' : 'total, lead_id DESC';
  const { rows } = await pool().query(
    `SELECT total, lead_id FROM lead_scores ORDER BY ${order} OFFSET 10003 LIMIT 1`,
  );
  return { total: rows[0].total as number, leadId: rows[0].lead_id as string };
}

describe('the lead list reads a page, not the rows before it', () => {
  for (const sort of ['-score', 'score'] as const) {
    it(`sort=${sort}: the first page and a page in the middle of 20,000 leads each read a few pages of rows by index, wherever the page is`, async () => {
      const first = await planOf({ filters: {}, sort, after: undefined, limit: LIMIT + 1 });
      const middle = await planOf({ filters: {}, sort, after: await middleOf(sort), limit: LIMIT + 1 });
      for (const nodes of [first, middle]) {
        expect(nodes.some((node) => node['Node Type'] === 'Seq Scan')).toBe(false);
        expect(indexesOf(nodes)).toContain('lead_scores_by_total');
        expect(rowsRead(nodes)).toBeLessThanOrEqual(PAGE_COST);
      }
    });
  }

  it('with a filter, the filter column leads the index it scans', async () => {
    const after = await middleOf('-score');
    const nodes = await planOf({ filters: { temperature: 'cold' }, sort: '-score', after, limit: LIMIT + 1 });
    expect(indexesOf(nodes)).toContain('lead_scores_by_temperature');
    expect(rowsRead(nodes)).toBeLessThanOrEqual(PAGE_COST);
  });

  it('returns the same leads as the plain ORDER BY ... OFFSET it replaces', async () => {
    const after = await middleOf('-score');
    const page = await listLeads(pool(), { filters: {}, sort: '-score', after, limit: LIMIT });
    const { rows } = await pool().query(
      'SELECT lead_id FROM lead_scores ORDER BY total DESC, lead_id OFFSET 10004 LIMIT $1',
      [LIMIT],
    );
    expect(page.map((row) => row.lead_id)).toEqual(rows.map((row) => row.lead_id));
  });
});
