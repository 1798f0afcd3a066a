import { describe, expect, it } from 'vitest';
import { defaultCompiled } from '../test-support/rulesets.js';
import { inStage, scoreView } from '../test-support/stage-looks.js';
import { decide } from './decide.js';
import { manualMoveSources, movesByHand } from './manual-moves.js';
import { type Stage, StageSchema } from './stage.schema.js';

const stages = StageSchema.options;
const FUNNEL: readonly Stage[] = ['lead', 'mql', 'sql', 'prospect'];
const byHand = (from: Stage, to: Stage) =>
  decide(
    inStage(from),
    scoreView(75),
    { kind: 'manual', at: Date.UTC(2025, 0, 2), to },
    defaultCompiled.stages,
  );

describe('moves by hand', () => {
  it('never demote a lead down the funnel: accepting (to sql) a lead at sql or prospect changes nothing', () => {
    expect(byHand('prospect', 'sql')).toEqual([]);
    expect(byHand('sql', 'sql')).toEqual([]);
    for (const from of ['lead', 'mql', 'recycled', 'disqualified'] as const) {
      expect(byHand(from, 'sql')).toMatchObject([{ from, to: 'sql', reason: 'manual' }]);
    }
  });

  it('recycle a lead that got to mql or beyond, or was disqualified; one still at lead is nurtured already', () => {
    expect(byHand('lead', 'recycled')).toEqual([]);
    expect(byHand('recycled', 'recycled')).toEqual([]);
    for (const from of ['mql', 'sql', 'prospect', 'disqualified'] as const) {
      expect(byHand(from, 'recycled')).toMatchObject([{ from, to: 'recycled' }]);
    }
  });

  it('disqualify a lead from any other stage', () => {
    for (const from of stages) {
      expect(byHand(from, 'disqualified')).toHaveLength(from === 'disqualified' ? 0 : 1);
    }
  });

  it('go forward in the funnel, into a side stage or out of one, and nowhere else', () => {
    const rank = (stage: Stage) => FUNNEL.indexOf(stage);
    const side = (stage: Stage) => rank(stage) === -1;
    for (const from of stages) {
      for (const to of stages) {
        const expected =
          from !== to &&
          (side(from) || (side(to) ? !(from === 'lead' && to === 'recycled') : rank(to) > rank(from)));
        expect(movesByHand(from, to), `${from} -> ${to}`).toBe(expected);
        expect(byHand(from, to), `${from} -> ${to}`).toHaveLength(expected ? 1 : 0);
      }
      expect(manualMoveSources[from]).not.toContain(from);
    }
  });
});
