import { compileRuleset, defaultRuleset, type ScoringEvent, scoreEvents } from '@leadscore/scoring';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { outcomeOf } from './lead-outcome.js';
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
    });
    expect(report.outcomes.baseline.precision).toBe(0.5);
    expect(report.outcomes.candidate).toMatchObject({ precision: 1, recall: 1, medianLeadTimeMs: 225 });
    expect(report.scores.candidate).toMatchObject({ mean: 10, min: 10, max: 10 });
    expect(report.scores.candidate.counts[2]).toBe(4); // [10, 20)
  });
});
