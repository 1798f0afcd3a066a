import { describe, expect, it } from 'vitest';
import defaultRulesetJson from '../../rulesets/default.v1.json' with { type: 'json' };
import { RulesetInvalidError } from '../errors.js';
import { mixedRulesetInput } from '../test-support/rulesets.js';
import { parseRuleset, parseRulesetOrThrow } from './parse-ruleset.js';
import { RulesetSchema } from './ruleset.schema.js';

const clone = <T>(value: T): T => structuredClone(value);

function issuesOf(json: unknown) {
  const result = parseRuleset(json);
  if (result.ok) throw new Error('expected the ruleset to be refused');
  return result.issues;
}

describe('parseRuleset', () => {
  it('accepts the default ruleset shipped in rulesets/default.v1.json', () => {
    const result = parseRuleset(defaultRulesetJson);
    expect(result.ok ? [] : result.issues).toEqual([]);
    expect(result.ok && result.ruleset.engagement.map((r) => r.event)).toContain('email.opened');
  });

  it('fills in defaults: no conditions and not a two-way signal', () => {
    const json = clone(mixedRulesetInput);
    const ruleset = parseRulesetOrThrow(json);
    expect(ruleset.engagement[0]).toMatchObject({ when: [], twoWay: false });
  });

  it('lists every structural problem at once, each by path', () => {
    const json = clone(defaultRulesetJson) as Record<string, unknown> & typeof defaultRulesetJson;
    (json.engagement[0] as Record<string, unknown>).points = 'one';
    (json.engagement[2] as Record<string, unknown>).halfLifeDays = -3;
    (json.engagement[4] as Record<string, unknown>).cap = { count: 0, per: 'fortnight' };
    (json.fit[0] as Record<string, unknown>).when = [{ path: 'title', op: 'resembles', value: 'vp' }];
    (json.stages.mql as Record<string, unknown>).minTotl = 50;
    const paths = issuesOf(json).map((issue) => issue.path);
    expect(paths).toEqual(
      expect.arrayContaining([
        'engagement[0].points',
        'engagement[2].halfLifeDays',
        'engagement[4].cap.count',
        'engagement[4].cap.per',
        'fit[0].when[0].op',
        'stages.mql.minTotl',
      ]),
    );
  });

  it('lists every inconsistency between fields, each where a person would fix it', () => {
    const json = clone(mixedRulesetInput) as typeof mixedRulesetInput & Record<string, never>;
    json.engagement[1] = { ...json.engagement[1]!, id: 'burst' };
    json.engagement[0] = { ...json.engagement[0]!, alert: { minTemperature: 'boiling' } };
    json.grades = [
      { grade: 'B', minFit: 20 },
      { grade: 'A', minFit: 25 },
      { grade: 'F', minFit: 1 },
    ];
    json.temperatures = [{ name: 'cold', minTotal: 0 }, { name: 'warm' }, { name: 'warm', minTotal: 5 }];
    json.total = { floor: 200, cap: 100 };
    json.stages = {
      ...json.stages,
      mql: { minTotal: 70 },
      sql: { minTotal: 60 },
      demotion: { enabled: true, hysteresis: 0 },
    };
    expect(issuesOf(json).map((issue) => issue.path)).toEqual(
      expect.arrayContaining([
        'engagement[1].id',
        'engagement[0].alert.minTemperature',
        'grades[1].grade',
        'grades[1].minFit',
        'grades[2].grade',
        'temperatures[0].minTotal',
        'temperatures[1].minTotal',
        'temperatures[2].name',
        'total.floor',
        'stages.sql.minTotal',
        'stages.mql.minTotal',
        'stages.demotion.hysteresis',
      ]),
    );
  });

  it('refuses thresholds the total can never reach because of its cap', () => {
    const json = clone(mixedRulesetInput);
    json.total = { cap: 50 };
    expect(issuesOf(json)).toContainEqual({
      path: 'stages.sql.minTotal',
      message: 'must not exceed the total cap 50',
    });
  });

  it('refuses an inconsistent ruleset as RulesetSchema too, beside a problem of a field', () => {
    const json = clone(mixedRulesetInput) as typeof mixedRulesetInput & Record<string, unknown>;
    json.stages = { ...json.stages, sql: { minTotal: json.stages.mql.minTotal - 1 } };
    (json.engagement[0] as Record<string, unknown>).points = 'one';
    const result = RulesetSchema.safeParse(json);
    expect(result.error?.issues.map((issue) => issue.path.join('.'))).toEqual([
      'engagement.0.points',
      'stages.sql.minTotal',
    ]);
  });

  it('throws RulesetInvalidError carrying the issues when asked to', () => {
    const attempt = () => parseRulesetOrThrow({ id: 'Bad Id' });
    expect(attempt).toThrow(RulesetInvalidError);
    try {
      attempt();
    } catch (error) {
      expect(error).toMatchObject({ code: 'RULESET_INVALID' });
      expect((error as RulesetInvalidError).issues.map((i) => i.path)).toEqual(
        expect.arrayContaining(['id', 'version', 'engagement', 'stages']),
      );
    }
  });
});
