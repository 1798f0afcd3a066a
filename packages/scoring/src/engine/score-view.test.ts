import { describe, expect, it } from 'vitest';
import { defaultCompiled as ruleset } from '../test-support/rulesets.js';
import { clampTotal, gradeOf, temperatureIndexOf } from './score-view.js';

const temperatureOf = (total: number) => ruleset.temperatures[temperatureIndexOf(total, ruleset)]?.name;

describe('score bands (default ruleset)', () => {
  it('temperature: cold < 20 <= warm < 50 <= hot', () => {
    expect([-5, 19.999, 20, 49.999, 50, 500].map(temperatureOf)).toEqual([
      'cold',
      'cold',
      'warm',
      'warm',
      'hot',
      'hot',
    ]);
  });

  it('grade: A from 35 fit points, then B 25, C 15, D 5, and F below', () => {
    expect([60, 35, 34, 25, 15, 5, 4.9, -10].map((fit) => gradeOf(fit, ruleset))).toEqual([
      'A',
      'A',
      'B',
      'B',
      'C',
      'D',
      'F',
      'F',
    ]);
  });

  it('total: clamped to the floor 0 and the cap 200', () => {
    expect([-30, 0, 120, 200, 260].map((total) => clampTotal(total, ruleset))).toEqual([0, 0, 120, 200, 200]);
  });
});
