import { compileRuleset, defaultRuleset, type ScoringEvent, scoreEvents } from '@leadscore/scoring';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { type LeadOutcome, outcomeOf } from './lead-outcome.js';
import { leadTrajectory } from './lead-trajectory.js';
import { SimulationTally } from './simulation-report.js';

const T = Date.UTC(2026, 0, 5, 9);
const MINUTE = 60_000;
const DAY = 86_400_000;
const baseline = compileRuleset(defaultRuleset);
const doubledClicks = compileRuleset({
  ...defaultRuleset,
  version: 2,
  engagement: defaultRuleset.engagement.map((rule) =>
    rule.id === 'email-clicked' ? { ...rule, points: 6 } : rule,
  ),
});

const clicks = (count: number, start = T): ScoringEvent[] =>
  Array.from({ length: count }, (_, i) => ({
    id: `c${i}`,
    type: 'email.clicked',
    occurredAt: start + i * MINUTE,
  }));

describe('leadTrajectory', () => {
  it('reaches mql at the event whose score crosses the threshold, under the ruleset given', () => {
    const events = clicks(9);
    expect(leadTrajectory(events, baseline, T + DAY)).toMatchObject({ stage: 'lead', mqlAt: null });
    // 6 points a click: the ninth click (54) is the first at or above 50.
    expect(leadTrajectory(events, doubledClicks, T + DAY)).toMatchObject({
      stage: 'mql',
      mqlAt: T + 8 * MINUTE,
    });
  });

  it('ends at the canonical score as of asOf, whatever order the events come in', () => {
    fc.assert(
      fc.property(
        fc.shuffledSubarray(clicks(12), { minLength: 1 }),
        fc.integer({ min: 0, max: 90 }),
        (events, days) => {
          const asOf = T + 12 * MINUTE + days * DAY;
          const reversed = [...events].reverse();
          expect(leadTrajectory(reversed, doubledClicks, asOf).total).toBe(
            scoreEvents(events, doubledClicks, asOf).total,
          );
        },
      ),
    );
  });

  it('under a forward-only policy, is mql exactly when the score reached 50 at some event', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 20 }), fc.integer({ min: 1, max: 40 }), (count, gapDays) => {
        const events = clicks(count).map((event, i) => ({ ...event, occurredAt: T + i * gapDays * DAY }));
        const reached = events.some(
          (event) => scoreEvents(events, doubledClicks, event.occurredAt).total >= 50,
        );
        const trajectory = leadTrajectory(events, doubledClicks, T + 1000 * DAY);
        expect(trajectory.mqlAt !== null).toBe(reached);
      }),
    );
  });
});

describe('outcomeOf', () => {
  it('is positive at the first sql or prospect, negative at a disqualification before it, else unknown', () => {
    expect(
      outcomeOf(
        [
          { to: 'mql', at: 1 },
          { to: 'sql', at: 5 },
          { to: 'prospect', at: 9 },
        ],
        10,
      ),
    ).toEqual({
      kind: 'positive',
      at: 5,
    });
    expect(
      outcomeOf(
        [
          { to: 'disqualified', at: 3 },
          { to: 'sql', at: 5 },
        ],
        10,
      ),
    ).toEqual({ kind: 'negative', at: 3 });
    expect(outcomeOf([{ to: 'sql', at: 15 }], 10)).toEqual({ kind: 'unknown' });
    expect(outcomeOf([{ to: 'mql', at: 1 }], 10)).toEqual({ kind: 'unknown' });
  });
});

describe('SimulationTally', () => {
  it('counts stage moves up and down, and precision and recall of mql against outcomes', () => {
    const tally = new SimulationTally();
    const at = (stage: 'lead' | 'mql' | 'sql', mqlAt: number | null, total = 10) => ({ stage, total, mqlAt });
    tally.add(at('lead', null), at('mql', 100), { kind: 'positive', at: 400 }); // candidate: TP, 300 ahead
    tally.add(at('mql', 200), at('mql', 150), { kind: 'positive', at: 300 }); // both TP: +50 gained
    tally.add(at('mql', 100), at('lead', null), { kind: 'negative', at: 500 }); // baseline FP, moved down
    tally.add(at('sql', 100), at('sql', 100), { kind: 'unknown' });
    const report = tally.report();
    expect(report.stages.moves).toEqual({ 'lead->mql': 1, 'mql->lead': 1 });
    expect([report.stages.up, report.stages.down]).toEqual([1, 1]);
    expect(report.stages.candidate).toMatchObject({ lead: 1, mql: 2, sql: 1 });
    expect(report.outcomes).toMatchObject({
      positive: 2,
      negative: 1,
      unknown: 1,
      medianLeadTimeGainedMs: 50,
    });
    expect(report.outcomes.baseline).toMatchObject({
      truePositives: 1,
      falsePositives: 1,
      falseNegatives: 1,
      trueNegatives: 0,
    });
    expect(report.outcomes.baseline.precision).toBe(0.5);
    expect(report.outcomes.candidate).toMatchObject({ precision: 1, recall: 1, medianLeadTimeMs: 225 });
    expect(report.scores.candidate).toMatchObject({ mean: 10, min: 10, max: 10 });
    expect(report.scores.candidate.counts[2]).toBe(4); // [10, 20)
  });
});

describe('SimulationTally: what counts as a prediction', () => {
  const figures = (mqlAt: number | null) => ({ stage: 'mql' as const, total: 60, mqlAt });

  it('counts an mql as predicting the outcome only when reached at or before it', () => {
    const tally = new SimulationTally();
    tally.add(figures(400), figures(300), { kind: 'positive', at: 300 }); // after: FN; at: TP, lead time 0
    tally.add(figures(501), figures(100), { kind: 'negative', at: 500 }); // after: TN; before: FP
    const { baseline, candidate, medianLeadTimeGainedMs } = tally.report().outcomes;
    expect(baseline).toEqual({
      truePositives: 0,
      falsePositives: 0,
      falseNegatives: 1,
      trueNegatives: 1,
      precision: null,
      recall: 0,
      medianLeadTimeMs: null,
    });
    expect(candidate).toMatchObject({ truePositives: 1, falsePositives: 1, medianLeadTimeMs: 0 });
    expect(medianLeadTimeGainedMs).toBeNull();
  });

  it('agrees with counting by the definitions, lead times never negative', () => {
    const instant = fc.integer({ min: 0, max: 1_000 });
    const drawn = fc.record({
      before: fc.option(instant, { nil: null }),
      after: fc.option(instant, { nil: null }),
      outcome: fc.oneof(
        fc.record({ kind: fc.constantFrom('positive' as const, 'negative' as const), at: instant }),
        fc.constant({ kind: 'unknown' as const }),
      ),
    });
    type Drawn = { before: number | null; after: number | null; outcome: LeadOutcome };
    const middle = (values: number[]) => {
      const sorted = [...values].sort((a, b) => a - b);
      const half = sorted.length / 2;
      if (sorted.length === 0) return null;
      return sorted.length % 2 ? sorted[Math.floor(half)]! : (sorted[half - 1]! + sorted[half]!) / 2;
    };
    // Lead time of a correct prediction: the outcome's instant minus an mql at or before it.
    const leadTime = (mqlAt: number | null, outcome: LeadOutcome) =>
      outcome.kind === 'positive' && mqlAt !== null && mqlAt <= outcome.at ? outcome.at - mqlAt : undefined;
    const byDefinition = (leads: Drawn[], mqlAtOf: (lead: Drawn) => number | null) => {
      const flagged = (lead: Drawn) =>
        lead.outcome.kind !== 'unknown' && mqlAtOf(lead) !== null && mqlAtOf(lead)! <= lead.outcome.at;
      const count = (kind: string, wasFlagged: boolean) =>
        leads.filter((lead) => lead.outcome.kind === kind && flagged(lead) === wasFlagged).length;
      return {
        truePositives: count('positive', true),
        falsePositives: count('negative', true),
        falseNegatives: count('positive', false),
        trueNegatives: count('negative', false),
        medianLeadTimeMs: middle(leads.flatMap((lead) => leadTime(mqlAtOf(lead), lead.outcome) ?? [])),
      };
    };
    fc.assert(
      fc.property(fc.array(drawn, { maxLength: 30 }), (leads) => {
        const tally = new SimulationTally();
        for (const { before, after, outcome } of leads) tally.add(figures(before), figures(after), outcome);
        const { outcomes } = tally.report();
        expect(outcomes.baseline).toMatchObject(byDefinition(leads, (lead) => lead.before));
        expect(outcomes.candidate).toMatchObject(byDefinition(leads, (lead) => lead.after));
        const gains = leads.flatMap(({ before, after, outcome }) => {
          const [was, is] = [leadTime(before, outcome), leadTime(after, outcome)];
          return was === undefined || is === undefined ? [] : [is - was];
        });
        expect(outcomes.medianLeadTimeGainedMs).toBe(middle(gains));
        for (const { truePositives, falseNegatives, falsePositives, trueNegatives, medianLeadTimeMs } of [
          outcomes.baseline,
          outcomes.candidate,
        ]) {
          expect(truePositives + falseNegatives).toBe(outcomes.positive);
          expect(falsePositives + trueNegatives).toBe(outcomes.negative);
          if (medianLeadTimeMs !== null) expect(medianLeadTimeMs).toBeGreaterThanOrEqual(0);
        }
      }),
    );
  });
});
