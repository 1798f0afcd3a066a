import { type Issue, RulesetInvalidError, toIssues } from '../errors.js';
import { type Ruleset, RulesetSchema } from './ruleset.schema.js';

export type RulesetParseResult = { ok: true; ruleset: Ruleset } | { ok: false; issues: Issue[] };

/** Validates a ruleset document; on failure lists every problem found, each with its path. */
export function parseRuleset(json: unknown): RulesetParseResult {
  const result = RulesetSchema.safeParse(json);
  return result.success ? { ok: true, ruleset: result.data } : { ok: false, issues: toIssues(result.error) };
}

/** Like parseRuleset, for callers that treat an invalid ruleset as a bug: throws RulesetInvalidError. */
export function parseRulesetOrThrow(json: unknown): Ruleset {
  const result = parseRuleset(json);
  if (!result.ok) throw new RulesetInvalidError(result.issues);
  return result.ruleset;
}
