import { canonicalEvents, type ScoringEvent, type Stage } from '@leadscore/scoring';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { leadSimulation } from './simulate-rulesets.js';
import {
  baseline,
  DAY,
  demoting,
  HOUR,
  type LeadLife,
  leadLife,
  livedUnder,
  mql30,
  publishedFrom,
  storedActivity,
  storedChange,
  streamOf,
  T,
} from './test-support/lead-life.js';

const form = (id: string, at: number, kind = 'contact'): ScoringEvent => ({
  id,
  type: 'form.submitted',
  occurredAt: at,
  properties: { form: kind },
});
const clicks = (lead: string, count: number, start: number): ScoringEvent[] =>
  Array.from({ length: count }, (_, i) => ({
    id: `${lead}-c${i}`,
    type: 'email.clicked',
    occurredAt: start + i * 60_000,
  }));
const by = (at: number, to: Stage) => ({ at, to });

const asOf = T + 2 * DAY;

// A history like the exploratory test's, lived under the baseline (mql at 50), the stage changes
// the projector recorded in the streams; the candidate puts mql at 30.
const lives: Record<string, LeadLife> = {
  // 60 at T + 1h: an mql, still open.
  l1: { events: [form('l1-demo', T, 'demo-request'), form('l1-f', T + HOUR)], moves: [] },
  // 23: a lead, disqualified.
  l2: { events: [form('l2-f', T), ...clicks('l2', 1, T + HOUR)], moves: [by(T + 25 * HOUR, 'disqualified')] },
  // About 32 by T + 20h (30 from the fourth click): a lead, disqualified; the candidate's mql came first.
  l3: {
    events: [form('l3-f', T), ...clicks('l3', 4, T + 20 * HOUR)],
    moves: [by(T + 25 * HOUR, 'disqualified')],
  },
  // 3: a lead.
  l4: { events: clicks('l4', 1, T + 10 * HOUR), moves: [] },
  // 20, accepted by sales: sql.
  l5: { events: [form('l5-f', T + 10 * HOUR)], moves: [by(T + 25 * HOUR, 'sql')] },
  // 20, accepted at T + 11h, then a demo form (60) at T + 12h: its mql score came after the outcome.
  l6: {
    events: [form('l6-f', T + 10 * HOUR), form('l6-demo', T + 12 * HOUR, 'demo-request')],
    moves: [by(T + 11 * HOUR, 'sql')],
  },
  // Active only after asOf: it did not exist yet.
  l7: { events: [form('l7-demo', asOf + HOUR, 'demo-request')], moves: [] },
  // 35: a lead the candidate makes an mql.
  l8: { events: [form('l8-f', T), ...clicks('l8', 5, T + HOUR)], moves: [] },
  // 20, disqualified at T + 1h, moved back at T + 2h, 60 at T + 3h: mql after its negative outcome.
  l9: {
    events: [form('l9-f', T), form('l9-demo', T + 3 * HOUR, 'demo-request')],
    moves: [by(T + HOUR, 'disqualified'), by(T + 2 * HOUR, 'lead')],
  },
  // 40 at T (the candidate's mql), 60 at T + 1h (the baseline's), accepted at T + 5h.
  l10: {
    events: [form('l10-demo', T, 'demo-request'), form('l10-f', T + HOUR)],
    moves: [by(T + 5 * HOUR, 'sql')],
  },
};

// The leads lived under the baseline: it is the active version, and they stand on their record.
function simulate(at: number) {
  const simulation = leadSimulation({ baseline, candidate: mql30, asOf: at, standOnRecord: true });
  for (const life of Object.values(lives)) simulation.add(streamOf(life, baseline, at));
  return simulation.report();
}

describe('leadSimulation', () => {
  it('starts each lead where the moves people made put it, and moves it only as publishing would', () => {
    const report = simulate(asOf);
    expect(report.leads).toBe(9);
    expect(report.stages.baseline).toEqual({
      lead: 2,
      mql: 2,
      sql: 3,
      prospect: 0,
      disqualified: 2,
      recycled: 0,
    });
    // Only l8 moves: l3 (disqualified) and l6 (accepted) stay where people put them.
    expect(report.stages.candidate).toEqual({
      lead: 1,
      mql: 3,
      sql: 3,
      prospect: 0,
      disqualified: 2,
      recycled: 0,
    });
    expect(report.stages).toMatchObject({ moves: { 'lead->mql': 1 }, up: 1, down: 0 });
  });

  it('starts a lead where its record says, even where an earlier version or a publication put it', () => {
    // 20 points by a contact form: a lead under the baseline. An earlier version made it an mql and
    // a reply then a prospect; the baseline's replay gives neither back, the record does.
    const stream = [
      storedActivity(form('r1-f', T)),
      storedChange({ from: 'lead', to: 'mql', at: T, reason: 'rescored' }),
      storedActivity({ id: 'r1-reply', type: 'email.replied', occurredAt: T + HOUR }),
      storedChange({ from: 'mql', to: 'prospect', at: T + HOUR, reason: 'two-way-signal' }),
    ];
    const simulation = leadSimulation({ baseline, candidate: mql30, asOf, standOnRecord: true });
    simulation.add(stream);
    const { stages } = simulation.report();
    expect(stages.baseline).toMatchObject({ lead: 0, prospect: 1 });
    // Publishing moves no prospect: nothing to predict.
    expect(stages.candidate).toMatchObject({ prospect: 1 });
    expect(stages.moves).toEqual({});
  });

  it('starts a lead where the replay under a version that is not the active one leaves it, not on its record', () => {
    // 20 + 20 + 8 + 8 = 56 at T + 3 ms, lived under the active baseline (mql at 50): recorded an
    // mql. Against a version that is not active (mql at 60), it stands a lead, and publishing mql
    // at 30 makes it an mql; standing on its record, it would not move at all.
    const life: LeadLife = {
      events: [
        form('n-f1', T),
        form('n-f2', T + 1),
        { id: 'n-d1', type: 'content.downloaded', occurredAt: T + 2 },
        { id: 'n-d2', type: 'content.downloaded', occurredAt: T + 3 },
      ],
      moves: [],
    };
    const at = T + HOUR;
    const stands = livedUnder(life, demoting, at).state;
    expect(stands.stage).toBe('lead');
    const after = publishedFrom(stands, life, { baseline: demoting, candidate: mql30 }, at);
    expect(after).toBe('mql');
    const stream = streamOf(life, baseline, at);
    expect(stream.some((event) => (event.data as { to?: string }).to === 'mql')).toBe(true);

    const simulation = leadSimulation({
      baseline: demoting,
      candidate: mql30,
      asOf: at,
      standOnRecord: false,
    });
    simulation.add(stream);
    const { stages } = simulation.report();
    expect(stages.baseline).toMatchObject({ lead: 1, mql: 0 });
    expect(stages.candidate).toMatchObject({ lead: 0, mql: 1 });
    expect(stages).toMatchObject({ moves: { 'lead->mql': 1 }, up: 1, down: 0 });
  });

  it('against a version that is not active, finds the stages its replay and publishing would give, whatever the life', () => {
    // Lived under the active baseline (its record); simulated against another version. The
    // people's moves the replay can see are those recorded: a move that changed nothing under the
    // baseline left no trace.
    const rulesets = { baseline, mql30, demoting };
    // [against, candidate] by name, for a readable counterexample.
    const pairs: readonly (readonly [keyof typeof rulesets, keyof typeof rulesets])[] = [
      ['mql30', 'demoting'],
      ['demoting', 'mql30'],
      ['mql30', 'baseline'],
      ['demoting', 'baseline'],
    ];
    fc.assert(
      fc.property(leadLife, fc.constantFrom(...pairs), (life, [againstName, candidateName]) => {
        const against = rulesets[againstName];
        const candidate = rulesets[candidateName];
        const at = T + 50 * DAY;
        const simulation = leadSimulation({ baseline: against, candidate, asOf: at });
        simulation.add(streamOf(life, baseline, at));
        const report = simulation.report();
        if (canonicalEvents(life.events, at).length === 0) {
          expect(report.leads).toBe(0);
          return;
        }
        const recordedMoves = livedUnder(life, baseline, at)
          .recorded.filter((change) => change.reason === 'manual')
          .map(({ at: movedAt, to }) => ({ at: movedAt, to }));
        const seen: LeadLife = { events: life.events, moves: recordedMoves };
        const stands = livedUnder(seen, against, at).state;
        const after = publishedFrom(stands, seen, { baseline: against, candidate }, at);
        expect(report.leads).toBe(1);
        expect(report.stages.baseline[stands.stage]).toBe(1);
        expect(report.stages.candidate[after]).toBe(1);
        expect(report.stages.moves).toEqual(
          stands.stage === after ? {} : { [`${stands.stage}->${after}`]: 1 },
        );
      }),
      { numRuns: 500 },
    );
  });

  it('counts an mql as a prediction only when it came at or before the outcome', () => {
    const { outcomes } = simulate(asOf);
    expect(outcomes).toMatchObject({ positive: 3, negative: 3, unknown: 3 });
    // l10 flagged 4h ahead; l5 and l6 never by score before their acceptance; l9's mql came after
    // its disqualification.
    expect(outcomes.baseline).toEqual({
      truePositives: 1,
      falsePositives: 0,
      falseNegatives: 2,
      trueNegatives: 3,
      precision: 1,
      recall: 1 / 3,
      medianLeadTimeMs: 4 * HOUR,
    });
    // The candidate flags l10 an hour earlier, and l3 (disqualified later) wrongly.
    expect(outcomes.candidate).toEqual({
      truePositives: 1,
      falsePositives: 1,
      falseNegatives: 2,
      trueNegatives: 2,
      precision: 0.5,
      recall: 1 / 3,
      medianLeadTimeMs: 5 * HOUR,
    });
    expect(outcomes.medianLeadTimeGainedMs).toBe(HOUR);
  });

  it('leaves out of every figure a lead with no activity up to asOf', () => {
    const report = simulate(asOf);
    for (const scores of [report.scores.baseline, report.scores.candidate]) {
      expect(scores.counts.reduce((sum, n) => sum + n, 0)).toBe(9);
      expect(scores.min).toBeGreaterThan(0);
    }
    // Before any activity nobody existed yet.
    const before = simulate(T - 1);
    expect(before.leads).toBe(0);
    expect(before.scores.baseline).toMatchObject({ mean: 0, min: 0, max: 0 });
    expect(before.scores.baseline.counts.every((n) => n === 0)).toBe(true);
    expect(Object.values(before.stages.baseline).every((n) => n === 0)).toBe(true);
    expect(before.outcomes).toMatchObject({ positive: 0, negative: 0, unknown: 0 });
    // Between: only the leads active by then (l1, l2, l3, l8, l9, l10 by T + 3h).
    expect(simulate(T + 3 * HOUR).leads).toBe(6);
  });
});
