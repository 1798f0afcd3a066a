import { beforeAll, describe, expect, it } from 'vitest';
import type { ActivityEventInput } from '../../packages/contracts/src/index.js';
import {
  type CompiledRuleset,
  compileRuleset,
  defaultRuleset,
  type Ruleset,
  type ScoringEvent,
} from '../../packages/scoring/src/index.js';
import { KEYS, usePipeline } from '../api/support/pipeline.js';
import { call, get } from '../api/support/requests.js';
import { DAY, HOUR, postEvents, untilScored } from '../api/support/seed.js';
import { eventually } from '../eventstore/eventually.js';
import { clicksTimes } from './support/clicks-ruleset.js';
import { type ExpectedPath, expectedPath, publishedStage } from './support/expected-stages.js';
import { generateHistory } from './support/generated-history.js';

// A month of history ending a day ago on the wall clock, which the scoring service and the
// projector run on: a publication (and a simulation as of now) weighs scores decayed to its instant.
const T = Math.floor((Date.now() - 31 * DAY) / HOUR) * HOUR;
const NOW = T + 30 * DAY;
const history = generateHistory(40, T, 20260309);

// The candidate: clicks worth twice as much, and mql at 40 instead of 50.
const candidateRuleset: Ruleset = {
  ...clicksTimes(2),
  version: 2,
  stages: { ...defaultRuleset.stages, mql: { minTotal: 40 } },
};
// Another candidate: mql at 60, and leads demoted 8 points below a threshold.
const demotingRuleset: Ruleset = {
  ...clicksTimes(1),
  version: 3,
  stages: { ...defaultRuleset.stages, mql: { minTotal: 60 }, demotion: { enabled: true, hysteresis: 8 } },
};
const baseline = compileRuleset(defaultRuleset);
const candidate = compileRuleset(candidateRuleset);

type Stage = ExpectedPath['stage'] | 'disqualified' | 'recycled';
type Outcome = { kind: 'positive' | 'negative'; at: number } | { kind: 'unknown' };

const form = (leadId: string, id: string, at: number, kind = 'contact'): ActivityEventInput => ({
  id,
  type: 'form.submitted',
  lead: { id: leadId },
  occurredAt: new Date(at).toISOString(),
  properties: { form: kind },
});

/**
 * Leads people moved in the middle of their activity (posted in steps, the api clock at each
 * move): what each version's replay must make of them, worked out by hand (contact form +20, demo
 * form +40; mql at 50 under the baseline, 40 under the candidate).
 */
const byHand = [
  {
    // 20 at T + 10h, accepted by sales at T + 11h (sql), then a demo form: 60 at T + 12h. No mql by
    // score before the acceptance under either version: a false negative for both.
    leadId: 'hand-accepted',
    activity: [form('hand-accepted', 'ha-1', T + 10 * HOUR)],
    moves: [{ at: T + 11 * HOUR, action: 'accept' }],
    later: [form('hand-accepted', 'ha-2', T + 12 * HOUR, 'demo-request')],
    stage: 'sql',
    outcome: { kind: 'positive', at: T + 11 * HOUR },
    mqlAt: { baseline: null, candidate: null },
  },
  {
    // 20 at T, disqualified at T + 1h, recycled at T + 2h, then a demo form: 60 at T + 3h, which
    // brings it back to mql under both versions. That mql came after the disqualification: a
    // true negative for both.
    leadId: 'hand-recycled',
    activity: [form('hand-recycled', 'hr-1', T)],
    moves: [
      { at: T + HOUR, action: 'disqualify' },
      { at: T + 2 * HOUR, action: 'recycle' },
    ],
    later: [form('hand-recycled', 'hr-2', T + 3 * HOUR, 'demo-request')],
    stage: 'mql',
    outcome: { kind: 'negative', at: T + HOUR },
    mqlAt: { baseline: T + 3 * HOUR, candidate: T + 3 * HOUR },
  },
] as const;

const pipeline = usePipeline({ clock: NOW });
const eventsByLead = new Map<string, ScoringEvent[]>();
const disqualified = new Set<string>();

/** Posts events and waits until every one is scored; remembers them by lead, with their ids. */
async function post(events: readonly ActivityEventInput[]): Promise<void> {
  const ids = await postEvents(pipeline(), events);
  events.forEach((event, i) => {
    const leadId = event.lead.id!;
    const known = eventsByLead.get(leadId) ?? [];
    known.push({
      id: ids[i]!,
      type: event.type,
      occurredAt: Date.parse(event.occurredAt),
      ...(event.properties === undefined ? {} : { properties: event.properties }),
      ...(event.traits === undefined ? {} : { traits: event.traits }),
    });
    eventsByLead.set(leadId, known);
  });
  const leads = new Set(events.map((event) => event.lead.id!));
  await untilScored(
    pipeline(),
    new Map([...leads].map((leadId) => [leadId, eventsByLead.get(leadId)!.length])),
  );
}

async function stagesOf(leadIds: readonly string[]): Promise<string[][]> {
  const { rows } = await pipeline().pool.query(
    'SELECT lead_id, stage FROM lead_stages WHERE lead_id = ANY($1) ORDER BY lead_id',
    [leadIds],
  );
  return rows.map((row) => [row.lead_id, row.stage]);
}

async function moveByHand(leadId: string, at: number, action: string): Promise<void> {
  pipeline().clock.now = at;
  const response = await call(pipeline().api, 'POST', `/v1/leads/${leadId}/stage`, {
    key: KEYS.admin,
    body: { action, reason: 'sales call' },
  });
  expect(response.status, JSON.stringify(response.body)).toBe(201);
}

beforeAll(async () => {
  await post([...history.flatMap((lead) => lead.events), ...byHand.flatMap((lead) => lead.activity)]);
  // The recorded history must be the one the thresholds call for before outcomes are read from it.
  await eventually(async () => {
    expect(await stagesOf(history.map(({ leadId }) => leadId))).toEqual(
      history.map(({ leadId }) => [leadId, pathOf(leadId, baseline).stage]),
    );
  }, 30_000);
  // People move the hand leads in time order, then their activity goes on.
  const moves = byHand.flatMap(({ leadId, moves }) => moves.map((move) => ({ leadId, ...move })));
  for (const { leadId, at, action } of moves.sort((a, b) => a.at - b.at))
    await moveByHand(leadId, at, action);
  await post(byHand.flatMap((lead) => lead.later));
  await eventually(async () => {
    expect(await stagesOf(byHand.map(({ leadId }) => leadId))).toEqual(
      byHand.map(({ leadId, stage }) => [leadId, stage]),
    );
  }, 30_000);
  // Sales disqualifies every fifth lead that has not qualified: the negative outcomes.
  for (const { leadId } of history.filter((_, i) => i % 5 === 0)) {
    if (pathOf(leadId, baseline).qualifiedAt !== null) continue;
    await moveByHand(leadId, NOW, 'disqualify');
    disqualified.add(leadId);
  }
  pipeline().clock.now = NOW;
  const drafted = await call(pipeline().api, 'POST', '/v1/rulesets', {
    key: KEYS.admin,
    body: { ruleset: { ...candidateRuleset, version: undefined }, author: 'ops' },
  });
  expect(drafted.status, JSON.stringify(drafted.body)).toBe(201);
});

function pathOf(leadId: string, ruleset: CompiledRuleset): ExpectedPath {
  return expectedPath(eventsByLead.get(leadId)!, ruleset);
}

const RANK: Record<Stage, number> = { lead: 0, recycled: 0, disqualified: 0, mql: 1, sql: 2, prospect: 3 };

function median(values: number[]): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}

/** What the simulation of the candidate at NOW must say of each lead, computed here. */
interface Expected {
  readonly before: Stage;
  readonly after: Stage;
  readonly outcome: Outcome;
  readonly mqlAt: { readonly baseline: number | null; readonly candidate: number | null };
}

function expectedOf(leadId: string, asOf: number): Expected {
  const hand = byHand.find((lead) => lead.leadId === leadId);
  // Forward-only and no two-way event: publishing the candidate leaves them where they stand.
  if (hand !== undefined)
    return { before: hand.stage, after: hand.stage, outcome: hand.outcome, mqlAt: hand.mqlAt };
  const path = pathOf(leadId, baseline);
  const before = disqualified.has(leadId) ? 'disqualified' : path.stage;
  const outcome: Outcome = disqualified.has(leadId)
    ? { kind: 'negative', at: NOW }
    : path.qualifiedAt === null
      ? { kind: 'unknown' }
      : { kind: 'positive', at: path.qualifiedAt };
  return {
    before,
    after: publishedStage(before, eventsByLead.get(leadId)!, candidate, asOf),
    outcome,
    mqlAt: { baseline: path.mqlAt, candidate: pathOf(leadId, candidate).mqlAt },
  };
}

const leadIds = () => [...history.map(({ leadId }) => leadId), ...byHand.map(({ leadId }) => leadId)];

/**
 * Precision, recall and lead times of one version's mql, by the definitions: a lead is flagged
 * when its mql (by score) came at or before its outcome; TP: positive and flagged, FP: negative and
 * flagged, FN: positive and not flagged, TN: negative and not flagged; lead time: outcome - mql.
 */
function prediction(version: 'baseline' | 'candidate') {
  const counts = { truePositives: 0, falsePositives: 0, falseNegatives: 0, trueNegatives: 0 };
  const leadTimes: number[] = [];
  for (const { outcome, mqlAt } of leadIds().map((leadId) => expectedOf(leadId, NOW))) {
    if (outcome.kind === 'unknown') continue;
    const at = mqlAt[version];
    const flagged = at !== null && at <= outcome.at;
    if (outcome.kind === 'negative') counts[flagged ? 'falsePositives' : 'trueNegatives'] += 1;
    else if (!flagged) counts.falseNegatives += 1;
    else {
      counts.truePositives += 1;
      leadTimes.push(outcome.at - at!);
    }
  }
  const { truePositives: tp, falsePositives: fp, falseNegatives: fn } = counts;
  return {
    ...counts,
    precision: tp + fp === 0 ? null : tp / (tp + fp),
    recall: tp + fn === 0 ? null : tp / (tp + fn),
    medianLeadTimeMs: median(leadTimes),
  };
}

async function simulate(version: number, body: object = {}) {
  const response = await call(pipeline().api, 'POST', `/v1/rulesets/${version}/simulate`, {
    key: KEYS.admin,
    body,
  });
  expect(response.status, JSON.stringify(response.body)).toBe(200);
  return response.body;
}

const countStages = (stages: readonly string[]) => {
  const counts: Record<string, number> = {
    lead: 0,
    mql: 0,
    sql: 0,
    prospect: 0,
    disqualified: 0,
    recycled: 0,
  };
  for (const stage of stages) counts[stage]! += 1;
  return counts;
};

/**
 * The stages the simulation of the candidate (version 2) against version 1 must report, computed
 * here: each lead where version 1's replay of its activity and of the moves people made leaves
 * it, and where publishing the candidate would move it from there.
 */
function expectedStages(asOf: number) {
  const expected = leadIds().map((leadId) => expectedOf(leadId, asOf));
  const moves: Record<string, number> = {};
  let up = 0;
  let down = 0;
  for (const { before, after } of expected) {
    if (before === after) continue;
    const key = `${before}->${after}`;
    moves[key] = (moves[key] ?? 0) + 1;
    if (RANK[after] > RANK[before]) up += 1;
    else down += 1;
  }
  return {
    baseline: countStages(expected.map(({ before }) => before)),
    candidate: countStages(expected.map(({ after }) => after)),
    moves,
    up,
    down,
  };
}

describe('POST /v1/rulesets/{version}/simulate', () => {
  it('starts each lead where its activity and the moves people made put it, and moves it as publishing would', async () => {
    const report = await simulate(2);
    const expected = expectedStages(NOW);
    // The history must make the comparison worth something: leads move, and some were moved by hand.
    expect(expected.up).toBeGreaterThan(0);
    expect(disqualified.size).toBeGreaterThan(0);
    expect(report).toMatchObject({ baselineVersion: 1, candidateVersion: 2, leads: leadIds().length });
    expect(report.stages).toEqual(expected);
    // People's moves count: every disqualified lead is where they put it, and publishing moves none.
    expect(report.stages.baseline.disqualified).toBe(disqualified.size);
  });

  it('counts an mql as predicting the outcome only when it came at or before it', async () => {
    const report = await simulate(2);
    const expected = leadIds().map(expectedOf);
    const gains: number[] = [];
    for (const { outcome, mqlAt } of expected) {
      const { baseline: was, candidate: is } = mqlAt;
      if (
        outcome.kind === 'positive' &&
        was !== null &&
        is !== null &&
        was <= outcome.at &&
        is <= outcome.at
      ) {
        gains.push(outcome.at - is - (outcome.at - was));
      }
    }
    const count = (kind: Outcome['kind']) => expected.filter(({ outcome }) => outcome.kind === kind).length;
    expect(count('positive')).toBeGreaterThan(0);
    expect(count('negative')).toBeGreaterThan(0);
    expect(report.outcomes).toEqual({
      positive: count('positive'),
      negative: count('negative'),
      unknown: count('unknown'),
      baseline: prediction('baseline'),
      candidate: prediction('candidate'),
      medianLeadTimeGainedMs: median(gains),
    });
  });

  it('leaves out of every figure the leads with no activity up to asOf', async () => {
    const asOf = T + 20 * HOUR;
    const active = leadIds().filter((leadId) => eventsByLead.get(leadId)!.some((e) => e.occurredAt <= asOf));
    expect(active.length).toBeGreaterThan(0);
    expect(active.length).toBeLessThan(leadIds().length);
    const report = await simulate(2, { asOf: new Date(asOf).toISOString() });
    expect(report.leads).toBe(active.length);
    for (const scores of [report.scores.baseline, report.scores.candidate]) {
      expect(scores.counts.reduce((sum: number, n: number) => sum + n, 0)).toBe(active.length);
    }
    const stages = (counts: Record<string, number>) => Object.values(counts).reduce((sum, n) => sum + n, 0);
    expect(stages(report.stages.baseline)).toBe(active.length);

    const empty = await simulate(2, { asOf: new Date(T - DAY).toISOString() });
    expect(empty).toMatchObject({ leads: 0, outcomes: { positive: 0, negative: 0, unknown: 0 } });
    expect(empty.scores.baseline).toMatchObject({ mean: 0, min: 0, max: 0 });
    expect(stages(empty.stages.baseline)).toBe(0);
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

describe('publishing the simulated version', () => {
  /** Every lead's stage, once the projector has decided every score change and decay check due. */
  async function settledStages(version: number): Promise<Map<string, string>> {
    return eventually(async () => {
      const { rows } = await pipeline().pool.query(
        `SELECT lead_id, stage, ruleset_version, next_check_at <= now() AS due FROM lead_stages`,
      );
      expect(rows.filter((row) => row.ruleset_version !== version || row.due)).toEqual([]);
      expect(rows).toHaveLength(leadIds().length);
      return new Map(rows.map((row) => [row.lead_id, row.stage]));
    }, 60_000);
  }

  it('moves the leads the simulation said it would, from where they stood, to the stages it said', async () => {
    // Now on the wall clock, which the projector's decay checks run by.
    pipeline().clock.now = Date.now();
    const drafted = await call(pipeline().api, 'POST', '/v1/rulesets', {
      key: KEYS.admin,
      body: { ruleset: { ...demotingRuleset, version: undefined }, author: 'ops' },
    });
    expect(drafted.status, JSON.stringify(drafted.body)).toBe(201);
    const before = await settledStages(1);
    const report = await simulate(3);
    // Against the active version, the leads stand where their record puts them.
    expect(report.stages.baseline).toEqual(countStages([...before.values()]));

    const published = await call(pipeline().api, 'POST', '/v1/rulesets/3/publish', {
      key: KEYS.admin,
      body: { author: 'ops' },
    });
    expect(published.status, JSON.stringify(published.body)).toBe(202);
    await eventually(async () => {
      const job = await get(pipeline().api, `/v1/rescoring/${published.body.job.jobId}`, KEYS.admin);
      expect(job.body.status).toBe('completed');
    }, 60_000);
    const after = await settledStages(3);

    const moves: Record<string, number> = {};
    for (const [leadId, stage] of before) {
      const key = `${stage}->${after.get(leadId)}`;
      if (stage !== after.get(leadId)) moves[key] = (moves[key] ?? 0) + 1;
    }
    expect(report.stages.candidate).toEqual(countStages([...after.values()]));
    expect(report.stages.moves).toEqual(moves);
    // Demotion goes to recycled, never back to lead, and leaves disqualified leads alone.
    expect(Object.keys(moves).some((move) => move.endsWith('->recycled'))).toBe(true);
    expect(
      Object.keys(moves).filter((move) => move.endsWith('->lead') || move.startsWith('disqualified')),
    ).toEqual([]);
  });
});

describe('simulating against a version that is not the active one', () => {
  it('starts each lead where that version’s replay leaves it, not where the record under the active one puts it', async () => {
    // Version 3 is active now, and its publication moved leads (demoted to recycled) where
    // version 1 leaves them as they were: the record is no longer what version 1 made. Now on the
    // wall clock, so that asOf takes in the stage changes the publication recorded.
    pipeline().clock.now = Date.now();
    const active = await get(pipeline().api, '/v1/rulesets/active', KEYS.admin);
    expect(active.body.version).toBe(3);
    const expected = expectedStages(pipeline().clock.now);
    const { rows } = await pipeline().pool.query('SELECT stage FROM lead_stages');
    expect(countStages(rows.map((row) => row.stage))).not.toEqual(expected.baseline);
    expect(expected.up).toBeGreaterThan(0);

    const report = await simulate(2, { against: '1' });
    expect(report).toMatchObject({ baselineVersion: 1, candidateVersion: 2, leads: leadIds().length });
    expect(report.stages).toEqual(expected);
  });
});
