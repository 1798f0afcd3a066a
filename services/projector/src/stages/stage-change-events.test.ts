import { stageChangedMessageSchema } from '@leadscore/contracts';
import { leadStageChangedEventType } from '@leadscore/eventstore';
import {
  compileRuleset,
  decide,
  defaultRuleset,
  initialStageState,
  type StageSignal,
} from '@leadscore/scoring';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Observation } from './observation.js';
import { stageChangeId, toStageChangedEvent, toStageChangedMessages } from './stage-change-events.js';

const ruleset = compileRuleset(defaultRuleset);
const T = Date.UTC(2026, 2, 2, 9);

function observation(total: number, signal: StageSignal, twoWay = false): Observation {
  return {
    ruleset,
    view: { at: T, engagement: total - 35, fit: 35, total, grade: 'A', temperature: 'hot', twoWay },
    signal,
    email: 'ann@acme.io',
  };
}

const signals = fc.oneof(
  fc.record({
    kind: fc.constant('event' as const),
    at: fc.integer({ min: 0 }),
    eventId: fc.string({ minLength: 1 }),
  }),
  fc.record({ kind: fc.constant('decay' as const), at: fc.integer({ min: 0 }) }),
  fc.record({
    kind: fc.constant('manual' as const),
    at: fc.integer({ min: 0 }),
    to: fc.constant('disqualified' as const),
  }),
);
const moves = fc.record({
  from: fc.constantFrom('lead', 'mql', 'sql', 'recycled' as const),
  to: fc.constantFrom('mql', 'sql', 'prospect', 'disqualified' as const),
});

describe('stageChangeId', () => {
  it('is the same for the same lead, move and cause, so a redelivered decision keeps its id', () => {
    fc.assert(
      fc.property(fc.string({ minLength: 1 }), moves, signals, (lead, move, signal) => {
        const cause = { signal, rulesetKey: ruleset.key };
        expect(stageChangeId(lead, move, cause)).toBe(stageChangeId(lead, { ...move }, { ...cause }));
        expect(stageChangeId(lead, move, cause)).toMatch(/^stg_[0-9a-f]{32}$/);
      }),
    );
  });

  it('differs when the lead, the move, the cause, the ruleset or the person differ', () => {
    fc.assert(
      fc.property(fc.string({ minLength: 1 }), moves, signals, signals, (lead, move, a, b) => {
        const id = (
          overrides: Partial<{
            lead: string;
            to: string;
            signal: StageSignal;
            rulesetKey: string;
            actor: string;
          }>,
        ) =>
          stageChangeId(
            overrides.lead ?? lead,
            { from: move.from, to: (overrides.to ?? move.to) as typeof move.to },
            {
              signal: overrides.signal ?? a,
              rulesetKey: overrides.rulesetKey ?? ruleset.key,
              ...(overrides.actor ? { actor: overrides.actor } : {}),
            },
          );
        const base = id({});
        expect(id({ lead: `${lead}x` })).not.toBe(base);
        expect(id({ to: move.to === 'sql' ? 'prospect' : 'sql' })).not.toBe(base);
        expect(id({ rulesetKey: 'default@2' })).not.toBe(base);
        expect(id({ actor: 'sales:kim' })).not.toBe(base);
        if (JSON.stringify(a) !== JSON.stringify(b)) expect(id({ signal: b })).not.toBe(base);
      }),
    );
  });

  it('ignores the note of a manual move: the same move by the same person at the same time is one change', () => {
    const at = T;
    const plain: StageSignal = { kind: 'manual', at, to: 'disqualified' };
    const noted: StageSignal = { ...plain, note: 'competitor' };
    const move = { from: 'mql', to: 'disqualified' } as const;
    expect(stageChangeId('L1', move, { signal: noted, rulesetKey: ruleset.key, actor: 'kim' })).toBe(
      stageChangeId('L1', move, { signal: plain, rulesetKey: ruleset.key, actor: 'kim' }),
    );
  });
  it("ignores an event's score before it, which depends on the order the lead's events arrived in", () => {
    const plain: StageSignal = { kind: 'event', at: T, eventId: 'ev-7' };
    const move = { from: 'recycled', to: 'mql' } as const;
    for (const total of [12, 48.5]) {
      const withBefore: StageSignal = { ...plain, before: { total, grade: 'B' } };
      expect(stageChangeId('L1', move, { signal: withBefore, rulesetKey: ruleset.key })).toBe(
        stageChangeId('L1', move, { signal: plain, rulesetKey: ruleset.key }),
      );
    }
  });
});

describe('toStageChangedMessages', () => {
  it('turns each decided move into a contract message naming the triggering event and the score', () => {
    const seen = observation(120, { kind: 'event', at: T, eventId: 'ev-7' }, true);
    const changes = decide(initialStageState, seen.view, seen.signal, ruleset.stages);
    const messages = toStageChangedMessages('ann', changes, seen);

    expect(messages.map((m) => `${m.from}->${m.to}:${m.reason}`)).toEqual([
      'lead->mql:threshold',
      'mql->sql:threshold',
      'sql->prospect:two-way-signal',
    ]);
    expect(new Set(messages.map((m) => m.id)).size).toBe(3);
    for (const message of messages) {
      expect(stageChangedMessageSchema.parse(message)).toEqual(message);
      expect(message).toMatchObject({
        leadId: 'ann',
        email: 'ann@acme.io',
        occurredAt: new Date(T).toISOString(),
        score: { engagement: 85, fit: 35, total: 120, temperature: 'hot' },
        grade: 'A',
        rulesetId: 'default',
        rulesetVersion: 1,
        triggeringEventId: 'ev-7',
      });
    }
    const event = toStageChangedEvent(messages[0]!);
    expect(event).toEqual({
      id: messages[0]!.id,
      type: leadStageChangedEventType,
      data: messages[0],
      occurredAt: new Date(T),
    });
  });

  it('names no triggering event for decay-driven moves, and the person for manual ones', () => {
    const decayed = observation(60, { kind: 'decay', at: T });
    const [byDecay] = toStageChangedMessages(
      'ann',
      decide(initialStageState, decayed.view, decayed.signal, ruleset.stages),
      decayed,
    );
    expect(byDecay).toMatchObject({ from: 'lead', to: 'mql', reason: 'decay', triggeringEventId: null });

    const manual = {
      ...observation(60, { kind: 'manual', at: T, to: 'disqualified', note: 'competitor' }),
      actor: 'sales:kim',
    };
    const [byHand] = toStageChangedMessages(
      'ann',
      decide(initialStageState, manual.view, manual.signal, ruleset.stages),
      manual,
    );
    expect(byHand).toMatchObject({
      to: 'disqualified',
      reason: 'manual',
      actor: 'sales:kim',
      note: 'competitor',
      triggeringEventId: null,
    });
  });
});
