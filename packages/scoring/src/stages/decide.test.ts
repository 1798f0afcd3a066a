import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { StagePolicy } from '../ruleset/ruleset.schema.js';
import { defaultCompiled, mixedCompiled } from '../test-support/rulesets.js';
import { inStage, live, scoreLook, T, scoreView as view } from '../test-support/stage-looks.js';
import { afterLook, decide, evolve, stageThresholds } from './decide.js';
import { initialStageState, type Stage, type StageChanged, type StageSignal } from './stage.schema.js';

const forwardOnly = defaultCompiled.stages; // mql 50, sql 100 with grade C, no demotion
const withDemotion = mixedCompiled.stages; // mql 25, sql 60 with grade B, demotion with hysteresis 8

const onEvent: StageSignal = { kind: 'event', at: T, eventId: 'ev-1' };
const onDecay: StageSignal = { kind: 'decay', at: T };
const moves = (changes: StageChanged[]) => changes.map((c) => `${c.from}->${c.to}:${c.reason}`);

describe('decide', () => {
  it('climbs several stages in one step, in order, naming the triggering event', () => {
    const changes = decide(initialStageState, view(120, 'B'), onEvent, forwardOnly);
    expect(moves(changes)).toEqual(['lead->mql:threshold', 'mql->sql:threshold']);
    expect(changes[1]).toMatchObject({
      type: 'LeadStageChanged',
      at: T,
      eventId: 'ev-1',
      total: 120,
      grade: 'B',
    });
  });

  it('holds a lead at mql until its fit grade is good enough for sql', () => {
    expect(moves(decide(initialStageState, view(120, 'D'), onEvent, forwardOnly))).toEqual([
      'lead->mql:threshold',
    ]);
    expect(moves(decide(inStage('mql'), view(120, 'C'), onDecay, forwardOnly))).toEqual(['mql->sql:decay']);
  });

  it('makes a prospect only after a two-way signal and at least mql', () => {
    expect(decide(initialStageState, view(30, 'A', true), onEvent, forwardOnly)).toEqual([]);
    expect(moves(decide(initialStageState, view(60, 'A', true), onEvent, forwardOnly))).toEqual([
      'lead->mql:threshold',
      'mql->prospect:two-way-signal',
    ]);
    const sqlFirst: StagePolicy = {
      ...forwardOnly,
      prospect: { requiredSignal: 'two-way', minStage: 'sql' },
    };
    expect(moves(decide(inStage('mql'), view(60, 'A', true), onEvent, sqlFirst))).toEqual([]);
    expect(moves(decide(inStage('sql'), view(60, 'A', true), onEvent, sqlFirst))).toEqual([
      'sql->prospect:two-way-signal',
    ]);
  });

  it('never demotes by default: a cooled sql lead stays sql', () => {
    expect(decide(inStage('sql'), view(3), onDecay, forwardOnly)).toEqual([]);
  });

  it('with demotion on, steps down only once the total is a hysteresis band below the threshold', () => {
    expect(decide(inStage('sql'), view(53), onDecay, withDemotion)).toEqual([]);
    expect(moves(decide(inStage('sql'), view(51), onDecay, withDemotion))).toEqual(['sql->mql:decay']);
    expect(moves(decide(inStage('sql'), view(10), onDecay, withDemotion))).toEqual([
      'sql->mql:decay',
      'mql->recycled:decay',
    ]);
    expect(decide(inStage('prospect'), view(0), onDecay, withDemotion)).toEqual([]);
  });

  it('lets recycled leads that fell below the threshold qualify again at the threshold itself', () => {
    const demoted = inStage('recycled', { total: 16, grade: 'A' });
    expect(decide(demoted, view(24), onEvent, withDemotion)).toEqual([]);
    expect(moves(decide(demoted, view(25), onEvent, withDemotion))).toEqual(['recycled->mql:threshold']);
  });

  it('names a ruleset change as the reason when rescoring moves a lead', () => {
    const rescored: StageSignal = { kind: 'rescored', at: T, ruleset: 'default@2' };
    expect(moves(decide(initialStageState, view(60), rescored, forwardOnly))).toEqual(['lead->mql:rescored']);
  });

  it('moves leads by hand, and leaves disqualified leads alone until a person moves them back', () => {
    const disqualify: StageSignal = { kind: 'manual', at: T, to: 'disqualified', note: 'competitor' };
    const [change] = decide(inStage('mql'), view(60), disqualify, forwardOnly);
    expect(change).toMatchObject({ from: 'mql', to: 'disqualified', reason: 'manual', note: 'competitor' });
    const disqualified = evolve(inStage('mql'), change!);
    expect(decide(disqualified, view(500, 'A', true), onEvent, forwardOnly)).toEqual([]);
    const back: StageSignal = { kind: 'manual', at: T, to: 'lead' };
    expect(moves(decide(disqualified, view(500), back, forwardOnly))).toEqual(['disqualified->lead:manual']);
    expect(decide(disqualified, view(0), { ...disqualify }, forwardOnly)).toEqual([]);
  });
});

describe('evolve', () => {
  it('puts the lead in the new stage since the change', () => {
    const [change] = decide(
      initialStageState,
      view(60),
      { kind: 'event', at: T + 5, eventId: 'x' },
      forwardOnly,
    );
    expect(evolve(initialStageState, change!)).toEqual({ stage: 'mql', since: T + 5 });
  });
});

describe('afterLook', () => {
  it("applies the look's changes and remembers the score it saw, also when nothing changed", () => {
    const seen = view(120, 'B');
    const changes = decide(initialStageState, seen, onEvent, forwardOnly);
    expect(afterLook(initialStageState, seen, changes)).toEqual({
      stage: 'sql',
      since: T,
      lastLook: { total: 120, grade: 'B' },
    });
    expect(afterLook(inStage('sql'), view(3, 'C'), [])).toEqual({
      ...inStage('sql'),
      lastLook: { total: 3, grade: 'C' },
    });
  });
});

describe('stageThresholds', () => {
  it('lists the totals where a decision can change, demotion lines included when enabled', () => {
    expect(stageThresholds(forwardOnly)).toEqual([50, 100]);
    expect(stageThresholds(withDemotion)).toEqual([17, 25, 52, 60]);
  });
});

const RANK: Record<Stage, number> = { lead: 0, recycled: 0, mql: 1, sql: 2, prospect: 3, disqualified: -1 };

describe('decide (properties)', () => {
  it('never moves a lead backwards when demotion is off', () => {
    fc.assert(
      fc.property(fc.array(scoreLook, { maxLength: 40 }), (looks) => {
        const { history } = live(looks, forwardOnly);
        for (const { change } of history) expect(RANK[change.to]).toBeGreaterThan(RANK[change.from]);
      }),
    );
  });

  it('never flaps: a score hovering inside a hysteresis band changes nothing', () => {
    const { mql, sql, demotion } = withDemotion;
    const bands: [Stage, number][] = [
      ['mql', mql.minTotal],
      ['recycled', mql.minTotal],
      ['sql', sql.minTotal],
    ];
    fc.assert(
      fc.property(
        fc.constantFrom(...bands),
        fc.array(fc.double({ min: 1e-6, max: 1, noNaN: true })),
        (band, depths) => {
          const [stage, threshold] = band;
          const hovering = depths.map((p) => ({
            total: threshold - p * demotion.hysteresis, // within [threshold - band, threshold)
            grade: 'A' as const,
            twoWay: false,
            kind: 'decay' as const,
            at: T,
          }));
          expect(live(hovering, withDemotion, inStage(stage)).history).toEqual([]);
        },
      ),
    );
  });

  it('only reverses a move across a threshold after the total has travelled the whole band', () => {
    fc.assert(
      fc.property(fc.array(scoreLook, { maxLength: 60 }), (looks) => {
        const { history } = live(looks, withDemotion);
        const lastMoveAcross = new Map<string, { up: boolean; total: number }>();
        for (const { change, total } of history) {
          if (change.to === 'prospect') continue;
          const line = [change.from, change.to].includes('sql') ? 'sql' : 'mql';
          const up = RANK[change.to] > RANK[change.from];
          const previous = lastMoveAcross.get(line);
          if (previous && previous.up !== up) {
            expect(Math.abs(previous.total - total)).toBeGreaterThan(withDemotion.demotion.hysteresis);
          }
          lastMoveAcross.set(line, { up, total });
        }
      }),
    );
  });
});
