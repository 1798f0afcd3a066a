import { defaultRuleset } from '@leadscore/scoring';
import { describe, expect, it } from 'vitest';
import { RulesetNotFoundError } from '../errors.js';
import { fixedRulesetCatalog, type RulesetCatalog } from '../ruleset-catalog.js';
import { createUnknownRulesetPatience } from './unknown-ruleset-patience.js';

const known = { rulesetId: defaultRuleset.id, rulesetVersion: defaultRuleset.version };
const unknown = { rulesetId: defaultRuleset.id, rulesetVersion: 999 };

function withClock(rulesets: RulesetCatalog = fixedRulesetCatalog()) {
  const clock = { now: 0 };
  const patience = createUnknownRulesetPatience({ rulesets, patienceMs: 60_000, clock: () => clock.now });
  return { clock, patience };
}

describe('patience with an unknown ruleset version', () => {
  it('skips nothing when every version is known', async () => {
    const { patience } = withClock();
    expect(await patience.rulesetsToSkip([known, known])).toEqual(new Set());
  });

  it('fails the batch while the version is unknown for less than the patience, then gives up on it', async () => {
    const { clock, patience } = withClock();
    await expect(patience.rulesetsToSkip([known, unknown])).rejects.toThrow(RulesetNotFoundError);
    clock.now = 59_999;
    await expect(patience.rulesetsToSkip([unknown])).rejects.toThrow(RulesetNotFoundError);
    clock.now = 60_000;
    expect(await patience.rulesetsToSkip([known, unknown])).toEqual(new Set(['default@999']));
    expect(patience.unknownForMs(unknown)).toBe(60_000);
    // Later messages naming it are skipped at once, not waited for again.
    clock.now = 500_000;
    expect(await patience.rulesetsToSkip([unknown])).toEqual(new Set(['default@999']));
  });

  it('decides on a version as soon as it turns up, and waits anew if it disappears again', async () => {
    let published = false;
    const catalog = fixedRulesetCatalog();
    const { clock, patience } = withClock({
      get: (id, version) => (published && version === 999 ? catalog.get(id, 1) : catalog.get(id, version)),
    });
    await expect(patience.rulesetsToSkip([unknown])).rejects.toThrow(RulesetNotFoundError);
    published = true;
    clock.now = 10_000;
    expect(await patience.rulesetsToSkip([unknown])).toEqual(new Set());
    expect(patience.unknownForMs(unknown)).toBe(0);
    published = false;
    clock.now = 100_000;
    await expect(patience.rulesetsToSkip([unknown])).rejects.toThrow(RulesetNotFoundError);
  });

  it('passes on any other failure of the lookup (a database outage is waited out, never skipped)', async () => {
    const down = new Error('connect ECONNREFUSED');
    const { clock, patience } = withClock({ get: () => Promise.reject(down) });
    clock.now = 1_000_000;
    await expect(patience.rulesetsToSkip([known])).rejects.toBe(down);
  });
});
