import { defaultRuleset } from '@leadscore/scoring';
import { describe, expect, it } from 'vitest';
import { foldCatalog } from './ruleset-catalog.js';
import { RULESET_DRAFTED, type RulesetDrafted } from './ruleset-events.js';

describe('foldCatalog', () => {
  it('reads a version drafted before rules were held to the event types the webhook accepts', () => {
    const typo = { ...defaultRuleset.engagement[2]!, id: 'email-click', event: 'email.click' };
    const drafted: RulesetDrafted = {
      version: 2,
      ruleset: { ...defaultRuleset, version: 2, engagement: [...defaultRuleset.engagement, typo] },
      author: 'ops',
      comment: 'drafted before the check',
    };
    const catalog = foldCatalog([{ type: RULESET_DRAFTED, data: drafted, occurredAt: 0, streamPosition: 1 }]);
    expect(catalog.versions.get(2)?.ruleset.engagement.at(-1)?.event).toBe('email.click');
  });
});
