import { type CompiledRuleset, compileRuleset, defaultRuleset, type Ruleset } from '@leadscore/scoring';
import type pg from 'pg';

/**
 * Where the scoring service gets the ruleset to score with, asked once per batch inside the
 * batch's transaction: the store-backed source (src/rulesets) holds the ruleset switch lock there,
 * so a batch never writes scores with a version that a publication has already replaced.
 */
export interface ActiveRuleset {
  /**
   * Statements without parameters the batch's transaction opens with, sent with its BEGIN in one
   * round trip (atomicallyOpenedWith); their results are handed to `current`.
   */
  readonly opening?: string;
  current(tx: pg.ClientBase, opened: readonly pg.QueryResult[]): Promise<CompiledRuleset>;
}

/** A ruleset that never changes (tests, benchmarks). */
export function fixedRuleset(ruleset: Ruleset): ActiveRuleset {
  const compiled = compileRuleset(ruleset);
  return { current: async () => compiled };
}

/** The product's default ruleset (packages/scoring, version 1). */
export const defaultActiveRuleset = (): ActiveRuleset => fixedRuleset(defaultRuleset);
