import { type CompiledRuleset, compileRuleset, defaultRuleset, type Ruleset } from '@leadscore/scoring';
import { RulesetNotFoundError } from './errors.js';

/**
 * Where the projector finds the stage policy of the ruleset a score was computed with. Score
 * changes name their ruleset, so a lead rescored under a new version is decided by that version.
 */
export interface RulesetCatalog {
  /** Throws RulesetNotFoundError for a ruleset it does not hold. */
  get(rulesetId: string, rulesetVersion: number): Promise<CompiledRuleset>;
}

/** A catalog of fixed rulesets: the default one until rulesets are published from the store. */
export function fixedRulesetCatalog(rulesets: readonly Ruleset[] = [defaultRuleset]): RulesetCatalog {
  const byKey = new Map(
    rulesets.map((ruleset) => [`${ruleset.id}@${ruleset.version}`, compileRuleset(ruleset)]),
  );
  return {
    async get(rulesetId, rulesetVersion) {
      const compiled = byKey.get(`${rulesetId}@${rulesetVersion}`);
      if (compiled === undefined) throw new RulesetNotFoundError(rulesetId, rulesetVersion);
      return compiled;
    },
  };
}
