import { describe, expect, it } from 'vitest';
import { compileRuleset, defaultRuleset, emptyLeadState } from '../../packages/scoring/src/index.js';
import type { LeadScoreRecord } from '../../services/scoring/src/engine/lead-record.js';
import { loadLeadScores } from '../../services/scoring/src/store/lead-scores.js';
import { storeScoredBatch } from '../../services/scoring/src/store/store-scored-batch.js';
import { useMigratedDatabase } from '../support/migrated-database.js';

const { pool } = useMigratedDatabase();

const ruleset = compileRuleset(defaultRuleset);

/** A lead with nothing optional: no e-mail, no touches, no two-way moment, no crossing ahead. */
const bare: LeadScoreRecord = {
  leadId: 'lead-bare',
  email: undefined,
  state: emptyLeadState(ruleset),
  view: {
    at: 1_767_312_345_123,
    engagement: 0,
    fit: 0,
    total: 0,
    grade: 'F',
    temperature: 'cold',
    twoWay: false,
  },
  lastGlobalPosition: 1n,
  lastEventId: 'evt-bare-1',
  rulesetId: 'default',
  rulesetVersion: 1,
  nextCrossingAt: null,
  firstTouch: null,
  lastTouch: null,
};

/** A lead with everything, text that needs escaping, fractions and a position beyond 2^53. */
const full: LeadScoreRecord = {
  leadId: 'lead-"full"\\{1,2}',
  email: "Zoë.O'Brien@example.com",
  state: {
    ...emptyLeadState(ruleset),
    lastAt: 1_767_312_399_001,
    lastId: 'evt-full-9',
    decay: emptyLeadState(ruleset).decay.map((_, i) => [12.345_678_901_234_5 + i, 1_767_312_399_001]),
    traits: { email: "Zoë.O'Brien@example.com", 'company.size': 250, title: 'VP "Growth"' },
    twoWayAt: 1_767_312_398_777,
  },
  view: {
    at: 1_767_312_399_001,
    engagement: 61.123_456_789_012_34,
    fit: 35,
    total: 96.123_456_789_012_34,
    grade: 'A',
    temperature: 'hot',
    twoWay: true,
  },
  lastGlobalPosition: 2n ** 60n + 7n,
  lastEventId: 'evt-full-9',
  rulesetId: 'default',
  rulesetVersion: 3,
  nextCrossingAt: 1_767_999_999_999,
  firstTouch: { utmSource: 'newsletter', utmCampaign: 'q1 "launch", part\\2', at: 1_767_312_000_000 },
  lastTouch: { utmMedium: 'email', at: 1_767_312_399_001 },
};

async function stored(leadIds: readonly string[]): Promise<Map<string, LeadScoreRecord>> {
  const client = await pool().connect();
  try {
    return await loadLeadScores(client, leadIds);
  } finally {
    client.release();
  }
}

async function write(records: readonly LeadScoreRecord[]): Promise<void> {
  const client = await pool().connect();
  try {
    await client.query('BEGIN');
    await storeScoredBatch(client, records, []);
    await client.query('COMMIT');
  } finally {
    client.release();
  }
}

describe('the lead_scores batch upsert', () => {
  it('writes every column and reads back the same records', async () => {
    await write([bare, full]);
    const read = await stored([bare.leadId, full.leadId]);
    expect(read.get(bare.leadId)).toEqual(bare);
    expect(read.get(full.leadId)).toEqual(full);
  });

  it('stores absent values as SQL NULL, not as JSON null', async () => {
    const { rows } = await pool().query(
      `SELECT email IS NULL AS no_email, first_touch IS NULL AS no_first, last_touch IS NULL AS no_last,
              two_way_at IS NULL AS no_two_way, next_crossing_at IS NULL AS no_crossing
         FROM lead_scores WHERE lead_id = $1`,
      [bare.leadId],
    );
    expect(rows).toEqual([
      { no_email: true, no_first: true, no_last: true, no_two_way: true, no_crossing: true },
    ]);
  });

  it('replaces a lead row on a second write and leaves the others as they were', async () => {
    const moved: LeadScoreRecord = {
      ...bare,
      view: { ...bare.view, engagement: 7.5, total: 7.5, temperature: 'warm' },
      lastGlobalPosition: 42n,
      lastEventId: 'evt-bare-2',
      firstTouch: { utmSource: 'ads', at: 1_767_312_345_200 },
      lastTouch: { utmSource: 'ads', at: 1_767_312_345_200 },
    };
    await write([moved]);
    const read = await stored([bare.leadId, full.leadId]);
    expect(read.get(bare.leadId)).toEqual(moved);
    expect(read.get(full.leadId)).toEqual(full);
    const { rows } = await pool().query('SELECT count(*)::int AS n FROM lead_scores');
    expect(rows[0].n).toBe(2);
  });
});
