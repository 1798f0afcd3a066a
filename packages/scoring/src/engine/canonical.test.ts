import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { compareEvents, type ScoringEvent } from '../event.js';
import type { CompiledRuleset } from '../ruleset/compile-ruleset.js';
import {
  defaultEvents,
  eventsAndReadTime,
  latestOf,
  mixedEvents,
  readDelay,
} from '../test-support/arbitraries.js';
import { closeTo, referenceEngagement } from '../test-support/reference-score.js';
import { defaultCompiled, mixedCompiled } from '../test-support/rulesets.js';
import { canonicalEvents, explainEvents, foldEvents, scoreEvents } from './canonical.js';
import { fold } from './fold.js';
import { emptyLeadState, type LeadState } from './lead-state.js';
import { scoreAt } from './score-view.js';

const cases: [string, CompiledRuleset, fc.Arbitrary<ScoringEvent[]>][] = [
  ['default ruleset', defaultCompiled, defaultEvents()],
  ['mixed half-lives, negative points, hour/week caps', mixedCompiled, mixedEvents()],
];

/** A consumer of an unordered stream: folds what comes in order, recomputes on a late event. */
function consume(arrivals: readonly ScoringEvent[], ruleset: CompiledRuleset): LeadState {
  const received: ScoringEvent[] = [];
  let state = emptyLeadState(ruleset);
  for (const event of arrivals) {
    received.push(event);
    const result = fold(state, event, ruleset);
    state = result.outcome === 'late' ? foldEvents(received, ruleset) : result.state;
  }
  return state;
}

describe('canonicalEvents', () => {
  it('is the events up to `at` sorted by (occurredAt, id), one per id, whatever the arrival order and resends', () => {
    fc.assert(
      fc.property(
        eventsAndReadTime(defaultEvents()).chain(([list, at]) =>
          fc.tuple(
            fc.constant(list),
            fc.constant(at),
            fc.shuffledSubarray([...list, ...list], { minLength: list.length * 2 }),
          ),
        ),
        ([list, at, arrivals]) => {
          const expected = list.filter((event) => event.occurredAt <= at).sort(compareEvents);
          expect(canonicalEvents(arrivals, at)).toEqual(expected);
        },
      ),
    );
  });
});

describe.each(cases)('canonical score (%s)', (_name, ruleset, events) => {
  it('does not depend on the order of the events', () => {
    fc.assert(
      fc.property(
        events.chain((list) =>
          fc.tuple(fc.constant(list), fc.shuffledSubarray(list, { minLength: list.length })),
        ),
        readDelay,
        ([list, permuted], delay) => {
          const at = latestOf(list) + delay;
          expect(foldEvents(permuted, ruleset)).toEqual(foldEvents(list, ruleset));
          expect(scoreEvents(permuted, ruleset, at)).toEqual(scoreEvents(list, ruleset, at));
        },
      ),
    );
  });

  it('does not change when events are sent again (same id)', () => {
    fc.assert(
      fc.property(
        events.chain((list) =>
          fc.tuple(
            fc.constant(list),
            fc.shuffledSubarray([...list, ...list, ...list], { minLength: list.length }),
          ),
        ),
        ([list, resent]) => {
          const withAll = [...resent, ...list];
          expect(foldEvents(withAll, ruleset)).toEqual(foldEvents(list, ruleset));
        },
      ),
    );
  });

  it('incremental folding of in-order events gives the canonical score (to 1e-9)', () => {
    fc.assert(
      fc.property(events, readDelay, (list, delay) => {
        const at = latestOf(list) + delay;
        let state = emptyLeadState(ruleset);
        for (const event of [...list].sort(compareEvents)) {
          const result = fold(state, event, ruleset);
          expect(result.outcome).toBe('applied');
          state = result.state;
        }
        const canonical = scoreEvents(list, ruleset, at);
        const incremental = scoreAt(state, at, ruleset);
        expect(closeTo(incremental.total, canonical.total)).toBe(true);
        expect(closeTo(incremental.engagement, canonical.engagement)).toBe(true);
      }),
    );
  });

  it('builds in place exactly the state fold builds one new state per event', () => {
    fc.assert(
      fc.property(events, (list) => {
        let state = emptyLeadState(ruleset);
        for (const event of canonicalEvents(list)) state = fold(state, event, ruleset).state;
        expect(foldEvents(list, ruleset)).toEqual(state);
      }),
    );
  });

  it('an unordered stream with resends, recomputed on every late event, ends at the canonical state', () => {
    fc.assert(
      fc.property(
        events.chain((list) => fc.shuffledSubarray([...list, ...list], { minLength: list.length * 2 })),
        (arrivals) => {
          expect(consume(arrivals, ruleset)).toEqual(foldEvents(arrivals, ruleset));
        },
      ),
    );
  });

  it('equals the design formula Σ points·2^(-(at - t)/halfLife) to 1e-9, across years', () => {
    fc.assert(
      fc.property(eventsAndReadTime(events), ([list, at]) => {
        const reference = referenceEngagement(list, ruleset, at);
        const view = scoreEvents(list, ruleset, at);
        expect(closeTo(view.engagement, reference.engagement, reference.magnitude)).toBe(true);
      }),
    );
  });

  it('reads the past from the events up to then (time travel)', () => {
    fc.assert(
      fc.property(events, fc.double({ min: 0, max: 1, noNaN: true }), (list, fraction) => {
        const times = list.map((e) => e.occurredAt);
        const first = Math.min(...times, 0);
        const at = Math.floor(first + fraction * (latestOf(list) - first));
        const before = list.filter((e) => e.occurredAt <= at);
        expect(scoreEvents(list, ruleset, at)).toEqual(scoreEvents(before, ruleset, at));
      }),
    );
  });

  it('explains the score: engagement parts sum to engagement, and with fit and clamp to the total', () => {
    fc.assert(
      fc.property(eventsAndReadTime(events), ([list, at]) => {
        const explanation = explainEvents(list, ruleset, at);
        const parts = explanation.engagement.rules.map((r) => r.decayedPoints);
        const magnitude = parts.reduce((sum, p) => sum + Math.abs(p), 0);
        const engagement = parts.reduce((sum, p) => sum + p, 0);
        expect(closeTo(engagement, explanation.engagement.total, magnitude)).toBe(true);
        const fit = explanation.fit.rules.reduce((sum, r) => sum + r.points, 0);
        expect(fit).toBe(explanation.fit.total);
        const total = engagement + fit + explanation.clampAdjustment;
        expect(closeTo(total, scoreEvents(list, ruleset, at).total, magnitude)).toBe(true);
        const counted = explanation.engagement.rules.reduce((sum, r) => sum + r.counted + r.dropped, 0);
        expect(counted).toBeGreaterThanOrEqual(explanation.engagement.rules.length);
      }),
    );
  });
});

describe('decay without new events', () => {
  const positiveOnly = (list: ScoringEvent[]) =>
    list.filter((e) => !['email.unsubscribed', 'email.bounced'].includes(e.type));

  it('never raises the score when all points are positive', () => {
    fc.assert(
      fc.property(defaultEvents().map(positiveOnly), readDelay, readDelay, (list, d1, d2) => {
        const state = foldEvents(list, defaultCompiled);
        const sooner = latestOf(list) + Math.min(d1, d2);
        const later = latestOf(list) + Math.max(d1, d2);
        const scoreSooner = scoreAt(state, sooner, defaultCompiled);
        const scoreLater = scoreAt(state, later, defaultCompiled);
        expect(scoreLater.engagement).toBeLessThanOrEqual(scoreSooner.engagement);
        expect(scoreLater.total).toBeLessThanOrEqual(scoreSooner.total);
      }),
    );
  });
});
