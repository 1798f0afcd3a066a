import { compileRuleset } from '../ruleset/compile-ruleset.js';
import { defaultRuleset } from '../ruleset/default-ruleset.js';
import { parseRulesetOrThrow } from '../ruleset/parse-ruleset.js';
import type { RulesetInput } from '../ruleset/ruleset.schema.js';

export const DAY = 86_400_000;
export const HOUR = 3_600_000;

export const defaultCompiled = compileRuleset(defaultRuleset);

/**
 * A ruleset that stresses what the default one does not: short and long half-lives side by side,
 * negative points that decay faster or slower than positive ones, hour and week caps, a floor and a cap.
 */
export const mixedRulesetInput: RulesetInput = {
  id: 'mixed',
  version: 3,
  decay: { halfLifeDays: 30 },
  total: { floor: -40, cap: 150 },
  engagement: [
    { id: 'burst', event: 'burst', points: 5, halfLifeDays: 1, cap: { count: 2, per: 'hour' } },
    { id: 'penalty', event: 'penalty', points: -7, halfLifeDays: 3 },
    { id: 'weekly', event: 'weekly', points: 11, cap: { count: 3, per: 'week' } },
    { id: 'slow-penalty', event: 'slow-penalty', points: -4, halfLifeDays: 90 },
    { id: 'daily', event: 'daily', points: 2, halfLifeDays: 0.5, cap: { count: 1, per: 'day' } },
    { id: 'reply', event: 'reply', points: 6, twoWay: true },
  ],
  fit: [
    { id: 'senior', when: [{ path: 'seniority', op: 'in', values: ['senior', 'executive'] }], points: 12 },
    { id: 'large', when: [{ path: 'company.size', op: 'gte', value: 1000 }], points: 8 },
  ],
  grades: [
    { grade: 'A', minFit: 20 },
    { grade: 'B', minFit: 12 },
    { grade: 'C', minFit: 8 },
  ],
  temperatures: [{ name: 'cold' }, { name: 'warm', minTotal: 10 }, { name: 'hot', minTotal: 40 }],
  stages: {
    mql: { minTotal: 25 },
    sql: { minTotal: 60, minGrade: 'B' },
    prospect: { requiredSignal: 'two-way', minStage: 'mql' },
    demotion: { enabled: true, hysteresis: 8 },
  },
};

export const mixedCompiled = compileRuleset(parseRulesetOrThrow(mixedRulesetInput));
