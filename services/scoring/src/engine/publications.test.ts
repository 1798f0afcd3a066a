import { scoreChangedMessageSchema, topics as topicNames } from '@leadscore/contracts';
import { compileRuleset, defaultRuleset, emptyLeadState, type ScoreView } from '@leadscore/scoring';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { LeadScoreRecord } from './lead-record.js';
import { publicationsOf, UnpublishableScoreError } from './publications.js';
import type { LeadScoreChange } from './score-change.js';

const topics = topicNames('');
const at = Date.UTC(2026, 0, 5, 9, 30);
const state = emptyLeadState(compileRuleset(defaultRuleset));

const view = fc.record({
  at: fc.integer({ min: 0, max: at }),
  engagement: fc.double({ noNaN: true, noDefaultInfinity: true }),
  fit: fc.double({ noNaN: true, noDefaultInfinity: true }),
  total: fc.double({ noNaN: true, noDefaultInfinity: true }),
  grade: fc.constantFrom('A', 'B', 'C', 'D', 'E', 'F'),
  temperature: fc.constantFrom('cold', 'warm', 'hot'),
  twoWay: fc.boolean(),
}) satisfies fc.Arbitrary<ScoreView>;

function changeOf(
  newView: ScoreView,
  old: ScoreView | null,
  email: string | undefined,
  triggerAt = newView.at,
): LeadScoreChange {
  const record: LeadScoreRecord = {
    leadId: 'lead-1',
    email,
    state,
    view: newView,
    lastGlobalPosition: 42n,
    lastEventId: 'evt-1',
    rulesetId: 'default',
    rulesetVersion: 1,
    nextCrossingAt: at + 86_400_000,
    firstTouch: null,
    lastTouch: null,
  };
  return {
    record,
    trigger: { eventId: 'evt-1', globalPosition: 42n, occurredAt: triggerAt, url: undefined },
    old,
    changes: ['score'],
    recomputed: false,
    alerts: [],
  };
}

describe('publicationsOf', () => {
  it('builds score-changed messages the contract accepts unchanged, without running its schema', () => {
    fc.assert(
      fc.property(
        view,
        fc.option(view, { nil: null }),
        fc.option(fc.constant('ann@example.com'), { nil: undefined }),
        // The trigger is the lead's latest event (every rescore) or an earlier, late one.
        fc.option(fc.integer({ min: 0, max: at }), { nil: undefined }),
        fc.option(fc.record({ jobId: fc.constantFrom('rsj_1', 'job') }), { nil: undefined }),
        (newView, old, email, triggerAt, rescore) => {
          const [publication] = publicationsOf(changeOf(newView, old, email, triggerAt), topics, at, rescore);
          const published = JSON.parse(JSON.stringify(publication?.value));
          expect(scoreChangedMessageSchema.parse(published)).toStrictEqual(published);
          expect(published.occurredAt).toBe(new Date(triggerAt ?? newView.at).toISOString());
          expect(published.scoredAt).toBe(new Date(newView.at).toISOString());
          expect(published.rescore).toEqual(rescore);
        },
      ),
      { numRuns: 300 },
    );
  });

  it('fails on a score JSON cannot carry (NaN, infinity) instead of publishing it as null', () => {
    const good: ScoreView = {
      at,
      engagement: 10,
      fit: 35,
      total: 45,
      grade: 'A',
      temperature: 'warm',
      twoWay: false,
    };
    for (const bad of [
      { total: Number.NaN },
      { engagement: Number.POSITIVE_INFINITY },
      { fit: Number.NaN },
    ]) {
      expect(() => publicationsOf(changeOf({ ...good, ...bad }, null, undefined), topics, at)).toThrow(
        UnpublishableScoreError,
      );
      expect(() => publicationsOf(changeOf(good, { ...good, ...bad }, undefined), topics, at)).toThrow(
        UnpublishableScoreError,
      );
    }
    expect(publicationsOf(changeOf(good, good, undefined), topics, at)).toHaveLength(1);
  });
});
