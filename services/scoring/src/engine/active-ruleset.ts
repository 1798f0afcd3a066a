import { type CompiledRuleset, compileRuleset, defaultRuleset, type Ruleset } from '@leadscore/scoring';

/**
 * Where the scoring service gets the ruleset to score with, asked once per batch. Today a fixed
 * ruleset; when rulesets are published from the store, a store-backed source replaces it in
 * app.ts without touching the consumer.
 */
export interface ActiveRuleset {
  current(): Promise<CompiledRuleset>;
}

export function fixedRuleset(ruleset: Ruleset): ActiveRuleset {
  const compiled = compileRuleset(ruleset);
  return { current: async () => compiled };
}

/** The product's default ruleset (packages/scoring, version 1) until publishing rulesets lands. */
export const defaultActiveRuleset = (): ActiveRuleset => fixedRuleset(defaultRuleset);
