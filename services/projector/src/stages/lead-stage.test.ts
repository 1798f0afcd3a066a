import { compileRuleset, defaultRuleset, type StageChanged } from '@leadscore/scoring';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { type LeadStage, nextLeadStage, stageStateOf } from './lead-stage.js';
import type { Observation } from './observation.js';

const ruleset = compileRuleset(defaultRuleset);
const T = Date.UTC(2026, 2, 2, 9);
const view = {
  at: T,
  engagement: 40,
  fit: 35,
  total: 75,
  grade: 'A' as const,
  temperature: 'hot',
  twoWay: false,
};

const seen = (overrides: Partial<Observation> = {}): Observation => ({
  ruleset,
  view,
  signal: { kind: 'event', at: T, eventId: 'ev-1' },
  email: undefined,
  ...overrides,
});

const toMql: StageChanged = {
  type: 'LeadStageChanged',
  from: 'lead',
  to: 'mql',
  at: T,
  reason: 'threshold',
  total: 75,
  grade: 'A',
};

describe('nextLeadStage', () => {
  it('starts a new lead at lead, then follows the last decided move', () => {
    const fresh = nextLeadStage('ann', undefined, seen({ position: 7n, nextCheckAt: T + 1 }), []);
    expect(fresh).toMatchObject({
      stage: 'lead',
      since: null,
      lastPosition: 7n,
      nextCheckAt: T + 1,
      email: null,
    });
    const moved = nextLeadStage('ann', fresh, seen({ email: 'ann@acme.io' }), [toMql]);
    expect(moved).toMatchObject({
      stage: 'mql',
      since: T,
      email: 'ann@acme.io',
      lastPosition: 7n,
      nextCheckAt: T + 1,
    });
  });

  it('gives the decider the stage, since when, and the score of the last look, also of a look that moved nothing', () => {
    expect(stageStateOf(undefined)).toEqual({ stage: 'lead', since: null });
    const moved = nextLeadStage('ann', undefined, seen(), [toMql]);
    expect(stageStateOf(moved)).toEqual({ stage: 'mql', since: T, lastLook: { total: 75, grade: 'A' } });
    const cooled = nextLeadStage('ann', moved, seen({ view: { ...view, total: 12, grade: 'C' } }), []);
    expect(stageStateOf(cooled)).toEqual({ stage: 'mql', since: T, lastLook: { total: 12, grade: 'C' } });
  });

  it('keeps the schedule unless the look sets one, and clears it when decay can change nothing', () => {
    const lead = nextLeadStage('ann', undefined, seen({ nextCheckAt: T + 5 }), []);
    expect(nextLeadStage('ann', lead, seen(), []).nextCheckAt).toBe(T + 5);
    expect(nextLeadStage('ann', lead, seen({ nextCheckAt: null }), []).nextCheckAt).toBeNull();
  });

  it('never moves the decided position backwards, whatever order looks come in', () => {
    fc.assert(
      fc.property(
        fc.array(fc.option(fc.bigInt({ min: 1n, max: 1n << 62n }), { nil: undefined })),
        (positions) => {
          let lead: LeadStage | undefined;
          for (const position of positions) {
            lead = nextLeadStage('ann', lead, seen(position === undefined ? {} : { position }), []);
          }
          const given = positions.filter((p): p is bigint => p !== undefined);
          const max = given.reduce<bigint | null>((m, p) => (m === null || p > m ? p : m), null);
          expect(lead?.lastPosition ?? null).toBe(positions.length === 0 ? null : max);
        },
      ),
    );
  });
});
