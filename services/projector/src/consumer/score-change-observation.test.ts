import type { ScoreChangedMessage } from '@leadscore/contracts';
import { compileRuleset, defaultRuleset } from '@leadscore/scoring';
import type pg from 'pg';
import { describe, expect, it } from 'vitest';
import type { RulesetCatalog } from '../ruleset-catalog.js';
import { scoreChangeObservation } from './score-change-observation.js';

const ruleset = compileRuleset(defaultRuleset);
const rulesets = { get: async () => ruleset } as unknown as RulesetCatalog;
const client = {} as pg.ClientBase;
const T = '2026-03-02T09:00:00.000Z';
const snapshot = (total: number) => ({
  engagement: total,
  fit: 0,
  total,
  grade: 'C' as const,
  temperature: 'warm',
});

const message = (old: ReturnType<typeof snapshot> | null): ScoreChangedMessage =>
  ({
    leadId: 'ann',
    eventId: 'ev-2',
    globalPosition: '42',
    rulesetId: ruleset.source.id,
    rulesetVersion: ruleset.source.version,
    occurredAt: T,
    scoredAt: T,
    recomputed: false,
    computedAt: T,
    old,
    new: snapshot(52),
    changes: ['score'],
    signals: { twoWay: false, twoWayAt: null },
    nextCrossingAt: null,
  }) as unknown as ScoreChangedMessage;

describe('scoreChangeObservation', () => {
  it("hands the decider the score just before the event, at its instant: a recycled lead's dip no look saw", async () => {
    const observation = await scoreChangeObservation(message(snapshot(48)), rulesets)(undefined, client, 0);
    expect(observation?.signal).toEqual({
      kind: 'event',
      at: Date.parse(T),
      eventId: 'ev-2',
      before: { total: 48, grade: 'C' },
    });
  });

  it('has no score before for a lead seen for the first time', async () => {
    const observation = await scoreChangeObservation(message(null), rulesets)(undefined, client, 0);
    expect(observation?.signal).toEqual({ kind: 'event', at: Date.parse(T), eventId: 'ev-2' });
  });
});
