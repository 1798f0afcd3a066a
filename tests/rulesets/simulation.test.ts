import { beforeAll, describe, expect, it } from 'vitest';
import {
  type CompiledRuleset,
  compileRuleset,
  defaultRuleset,
  type Ruleset,
  type ScoringEvent,
} from '../../packages/scoring/src/index.js';
import { KEYS, usePipeline } from '../api/support/pipeline.js';
import { call } from '../api/support/requests.js';
import { countByLead, DAY, postEvents, untilScored } from '../api/support/seed.js';
import { eventually } from '../eventstore/eventually.js';
import { clicksTimes } from './support/clicks-ruleset.js';
import { type ExpectedPath, expectedPath } from './support/expected-stages.js';
import { generateHistory } from './support/generated-history.js';

const T = Date.UTC(2026, 2, 9, 8);
const NOW = T + 30 * DAY;
const history = generateHistory(40, T, 20260309);

// The candidate: clicks worth twice as much, and mql at 40 instead of 50.
const candidateRuleset: Ruleset = {
  ...clicksTimes(2),
  version: 2,
  stages: { ...defaultRuleset.stages, mql: { minTotal: 40 } },
};
const baseline = compileRuleset(defaultRuleset);
const candidate = compileRuleset(candidateRuleset);

const pipeline = usePipeline({ clock: NOW });
const eventsByLead = new Map<string, ScoringEvent[]>();
const disqualified = new Set<string>();

beforeAll(async () => {
  const all = history.flatMap((lead) => lead.events);
  const ids = await postEvents(pipeline(), all);
  all.forEach((event, i) => {
    const leadId = event.lead.id!;
    const events = eventsByLead.get(leadId) ?? [];
    events.push({
      id: ids[i]!,
      type: event.type,
      occurredAt: Date.parse(event.occurredAt),
      ...(event.properties === undefined ? {} : { properties: event.properties }),
      ...(event.traits === undefined ? {} : { traits: event.traits }),
    });
    eventsByLead.set(leadId, events);
  });
  await untilScored(pipeline(), countByLead(all));
  // The recorded history must be the one the thresholds call for before outcomes are read from it.
  await eventually(async () => {
    const { rows } = await pipeline().pool.query('SELECT lead_id, stage FROM lead_stages ORDER BY lead_id');
    expect(rows.map((row) => [row.lead_id, row.stage])).toEqual(
      history.map(({ leadId }) => [leadId, pathOf(leadId, baseline).stage]),
    );
  }, 30_000);
  // Sales disqualifies every fifth lead that has not qualified: the negative outcomes.
  for (const { leadId } of history.filter((_, i) => i % 5 === 0)) {
    if (pathOf(leadId, baseline).qualifiedAt !== null) continue;
    const response = await call(pipeline().api, 'POST', `/v1/leads/${leadId}/stage`, {
      key: KEYS.admin,
      body: { action: 'disqualify', reason: 'not a buyer' },
    });
    expect(response.status).toBe(201);
    disqualified.add(leadId);
  }
  const drafted = await call(pipeline().api, 'POST', '/v1/rulesets', {
    key: KEYS.admin,
    body: { ruleset: { ...candidateRuleset, version: undefined }, author: 'ops' },
  });
  expect(drafted.status, JSON.stringify(drafted.body)).toBe(201);
});

function pathOf(leadId: string, ruleset: CompiledRuleset): ExpectedPath {
  return expectedPath(eventsByLead.get(leadId)!, ruleset);
}

const RANK = { lead: 0, mql: 1, sql: 2, prospect: 3 } as const;

function median(values: number[]): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}

/** Precision, recall and lead times of one ruleset's mql against the outcomes, computed here. */
function prediction(ruleset: CompiledRuleset) {
  let tp = 0;
  let fp = 0;
  let fn = 0;
  const leadTimes: number[] = [];
  for (const { leadId } of history) {
    const qualifiedAt = pathOf(leadId, baseline).qualifiedAt;
    const predicted = pathOf(leadId, ruleset).mqlAt;
    if (disqualified.has(leadId)) {
      if (predicted !== null) fp += 1;
    } else if (qualifiedAt !== null) {
      if (predicted === null) fn += 1;
      else {
        tp += 1;
        leadTimes.push(qualifiedAt - predicted);
      }
    }
  }
  return {
    truePositives: tp,
    falsePositives: fp,
    falseNegatives: fn,
    precision: tp + fp === 0 ? null : tp / (tp + fp),
    recall: tp + fn === 0 ? null : tp / (tp + fn),
    medianLeadTimeMs: median(leadTimes),
  };
}

describe('POST /v1/rulesets/{version}/simulate', () => {
  it('reports the stage moves, counts and outcome predictions a computation from the thresholds gives', async () => {
    const response = await call(pipeline().api, 'POST', '/v1/rulesets/2/simulate', {
      key: KEYS.admin,
      body: {},
    });
    expect(response.status, JSON.stringify(response.body)).toBe(200);
    const report = response.body;

    const moves: Record<string, number> = {};
    let up = 0;
    let down = 0;
    const gains: number[] = [];
    for (const { leadId } of history) {
      const before = pathOf(leadId, baseline);
      const after = pathOf(leadId, candidate);
      if (before.stage !== after.stage) {
        const key = `${before.stage}->${after.stage}`;
        moves[key] = (moves[key] ?? 0) + 1;
        if (RANK[after.stage] > RANK[before.stage]) up += 1;
        else down += 1;
      }
      const qualifiedAt = before.qualifiedAt;
      if (
        !disqualified.has(leadId) &&
        qualifiedAt !== null &&
        before.mqlAt !== null &&
        after.mqlAt !== null
      ) {
        gains.push(qualifiedAt - after.mqlAt - (qualifiedAt - before.mqlAt));
      }
    }
    // The history must make the comparison worth something: leads move, and outcomes of both kinds exist.
    expect(up).toBeGreaterThan(0);
    expect(disqualified.size).toBeGreaterThan(0);

    expect(report).toMatchObject({ baselineVersion: 1, candidateVersion: 2, leads: history.length });
    expect(report.stages.moves).toEqual(moves);
    expect([report.stages.up, report.stages.down]).toEqual([up, down]);
    const positives = history.filter(
      ({ leadId }) => !disqualified.has(leadId) && pathOf(leadId, baseline).qualifiedAt !== null,
    ).length;
    expect(positives).toBeGreaterThan(0);
    expect(report.outcomes).toMatchObject({
      positive: positives,
      negative: disqualified.size,
      unknown: history.length - positives - disqualified.size,
      baseline: prediction(baseline),
      candidate: prediction(candidate),
      medianLeadTimeGainedMs: median(gains),
    });
  });

  it('writes nothing: scores and stages are as they were', async () => {
    const { rows } = await pipeline().pool.query(
      'SELECT count(*)::int AS n FROM lead_scores WHERE ruleset_version <> 1',
    );
    expect(rows[0].n).toBe(0);
    const jobs = await pipeline().pool.query('SELECT count(*)::int AS n FROM rescoring_jobs');
    expect(jobs.rows[0].n).toBe(0);
  });
});
