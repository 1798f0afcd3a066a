import { type Issue, RulesetInvalidError, toIssues } from '../errors.js';
import { safeParseConsistent } from './consistency.js';
import { type Ruleset, RulesetShape } from './ruleset.schema.js';

export type RulesetParseResult = { ok: true; ruleset: Ruleset } | { ok: false; issues: Issue[] };

/**
 * Validates a ruleset as RulesetSchema does; on failure lists every problem found, each with its
 * path: those of fields, and those between fields whose fields are valid.
 */
export function parseRuleset(json: unknown): RulesetParseResult {
  const result = safeParseConsistent(RulesetShape, json);
  return result.success ? { ok: true, ruleset: result.data } : { ok: false, issues: toIssues(result.error) };
}

/** Like parseRuleset, for callers that treat an invalid ruleset as a bug: throws RulesetInvalidError. */
export function parseRulesetOrThrow(json: unknown): Ruleset {
  const result = parseRuleset(json);
  if (!result.ok) throw new RulesetInvalidError(result.issues);
  return result.ruleset;
}
