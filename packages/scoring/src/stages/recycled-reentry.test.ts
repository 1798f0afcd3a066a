import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { defaultCompiled, mixedCompiled } from '../test-support/rulesets.js';
import { inStage, live, manualLook, scoreLook, scoreView, T } from '../test-support/stage-looks.js';
import { afterLook, decide } from './decide.js';
import type { StageSignal, StageState } from './stage.schema.js';

const policy = defaultCompiled.stages; // mql at 50
const onEvent: StageSignal = { kind: 'event', at: T, eventId: 'ev' };

/** A lead moved to recycled by hand at a look that saw `total`. */
function recycledAt(total: number): StageState {
  const view = scoreView(total);
  const changes = decide(inStage('sql'), view, { kind: 'manual', at: T, to: 'recycled' }, policy);
  expect(changes).toMatchObject([{ from: 'sql', to: 'recycled' }]);
  return afterLook(inStage('sql'), view, changes);
}

/** The lead after looks at these totals, with the moves they made. */
function looksAt(start: StageState, totals: readonly number[]) {
  let state = start;
  const moves: string[] = [];
  for (const total of totals) {
    const changes = decide(state, scoreView(total), onEvent, policy);
    moves.push(...changes.map((change) => `${total}: ${change.from}->${change.to}`));
    state = afterLook(state, scoreView(total), changes);
  }
  return { state, moves };
}

describe('decide: a recycled lead', () => {
  it('recycled while still qualified stays recycled as its score rises, until it has fallen below mql and reached it again', () => {
    const { moves } = looksAt(recycledAt(60), [61, 75, 49.5, 49.9, 50]);
    expect(moves).toEqual(['50: recycled->mql']);
  });

  it('recycled below the threshold goes back to mql at the first look that reaches it', () => {
    expect(looksAt(recycledAt(40), [49, 50]).moves).toEqual(['50: recycled->mql']);
  });

  it('goes back to mql on an event whose score just before it had dipped below, though no look saw the dip', () => {
    const event = (before: number, at = T + 1): StageSignal => ({
      kind: 'event',
      at,
      eventId: 'ev',
      before: { total: before, grade: 'A' },
    });
    const recycled = recycledAt(60);
    expect(decide(recycled, scoreView(52), event(48), policy)).toMatchObject([
      { from: 'recycled', to: 'mql' },
    ]);
    // Still qualified just before the event: the recycle holds.
    expect(decide(recycled, scoreView(52), event(51), policy)).toEqual([]);
    // A dip before the recycle (a late event) does not count.
    expect(decide({ ...recycled, since: T + 10 }, scoreView(52), event(48, T + 5), policy)).toEqual([]);
  });

  it('with no look remembered, qualifies again at the threshold', () => {
    expect(looksAt(inStage('recycled'), [50]).moves).toEqual(['50: recycled->mql']);
  });

  it('goes back to mql exactly when its score crosses the requirement upwards after the recycle', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(defaultCompiled.stages, mixedCompiled.stages),
        fc.constantFrom('mql' as const, 'sql' as const, 'prospect' as const, 'disqualified' as const),
        manualLook.map((look) => ({ ...look, to: 'recycled' as const })),
        fc.array(scoreLook, { maxLength: 30 }),
        (stages, from, recycle, looks) => {
          const qualifies = (total: number) => total >= stages.mql.minTotal; // neither policy grades mql
          const { looked } = live([recycle, ...looks], stages, inStage(from));
          expect(looked[0]?.changes).toMatchObject([{ from, to: 'recycled' }]);
          let dipped = !qualifies(recycle.total);
          for (const { look, changes } of looked.slice(1)) {
            const backToMql = changes[0]?.to === 'mql';
            expect(backToMql, `at ${look.total}, having dipped: ${dipped}`).toBe(
              dipped && qualifies(look.total),
            );
            if (backToMql) break;
            dipped ||= !qualifies(look.total);
          }
        },
      ),
    );
  });
});
