import type { Queryable } from '@leadscore/eventstore';
import type { StoredRulesets } from '@leadscore/rulesets';
import { type CompiledRuleset, compileRuleset, defaultRuleset, type Ruleset } from '@leadscore/scoring';
import { RulesetNotFoundError } from './errors.js';

/**
 * Where the projector finds the stage policy of the ruleset a score was computed with. Score
 * changes name their ruleset, so a lead rescored under a new version is decided by that version.
 */
export interface RulesetCatalog {
  /**
   * Throws RulesetNotFoundError for a ruleset it does not hold. `db`: where to read a version it
   * has not seen yet; pass the decision's transaction (a one-connection pool would wait on itself).
   */
  get(rulesetId: string, rulesetVersion: number, db?: Queryable): Promise<CompiledRuleset>;
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

/** The published versions of the ruleset catalog in the event store (packages/rulesets). */
export function storedRulesetCatalog(rulesets: StoredRulesets, pool: Queryable): RulesetCatalog {
  return {
    async get(rulesetId, rulesetVersion, db) {
      const compiled = await rulesets.version(db ?? pool, rulesetVersion).catch((error: unknown) => {
        if ((error as { code?: unknown }).code === 'RULESET_VERSION_NOT_FOUND') return undefined;
        throw error;
      });
      if (compiled === undefined || compiled.source.id !== rulesetId) {
        throw new RulesetNotFoundError(rulesetId, rulesetVersion);
      }
      return compiled;
    },
  };
}
