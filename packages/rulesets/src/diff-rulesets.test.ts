import { defaultRuleset, type Ruleset } from '@leadscore/scoring';
import { describe, expect, it } from 'vitest';
import { diffRulesets } from './diff-rulesets.js';

const v2 = (change: (ruleset: Ruleset) => void): Ruleset => {
  const copy = structuredClone(defaultRuleset);
  copy.version = 2;
  change(copy);
  return copy;
};

describe('diffRulesets', () => {
  it('finds nothing between a ruleset and its copy under another version', () => {
    expect(
      diffRulesets(
        defaultRuleset,
        v2(() => {}),
      ),
    ).toEqual({ added: [], removed: [], changed: [], settings: [] });
  });

  it('lists added, removed and changed rules by section and id, with each changed field', () => {
    const next = v2((r) => {
      r.engagement = r.engagement.filter((rule) => rule.id !== 'email-bounced');
      const clicked = r.engagement.find((rule) => rule.id === 'email-clicked')!;
      clicked.points = 6;
      clicked.halfLifeDays = 10;
      r.engagement.push({ id: 'trial-started', event: 'trial.started', when: [], points: 30, twoWay: false });
      r.fit[0]!.points = 20;
    });
    const diff = diffRulesets(defaultRuleset, next);
    expect(diff.added).toEqual([{ section: 'engagement', id: 'trial-started' }]);
    expect(diff.removed).toEqual([{ section: 'engagement', id: 'email-bounced' }]);
    expect(diff.changed).toEqual([
      {
        section: 'engagement',
        id: 'email-clicked',
        changes: [
          { path: 'points', before: 3, after: 6 },
          { path: 'halfLifeDays', before: undefined, after: 10 },
        ],
      },
      {
        section: 'fit',
        id: defaultRuleset.fit[0]!.id,
        changes: [{ path: 'points', before: defaultRuleset.fit[0]!.points, after: 20 }],
      },
    ]);
    expect(diff.settings).toEqual([]);
  });

  it('lists changed settings by path', () => {
    const diff = diffRulesets(
      defaultRuleset,
      v2((r) => {
        r.stages.mql.minTotal = 40;
        r.decay.halfLifeDays = 21;
      }),
    );
    expect(diff.settings).toEqual([
      { path: 'decay.halfLifeDays', before: 30, after: 21 },
      { path: 'stages.mql.minTotal', before: 50, after: 40 },
    ]);
  });
});
