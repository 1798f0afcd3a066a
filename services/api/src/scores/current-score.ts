import { type CompiledRuleset, parseLeadState, type ScoreView, scoreAt } from '@leadscore/scoring';

/**
 * A lead's score now, decayed exactly from the engine state the scoring service stored (no
 * stream read). `at` is never taken before the lead's latest event: an event stamped slightly in
 * the future by a sender's clock would otherwise make "now" precede the state.
 */
export function currentScore(
  state: unknown,
  scoredAt: Date,
  now: number,
  ruleset: CompiledRuleset,
): ScoreView | undefined {
  const leadState = parseLeadState(state);
  // Scored under another ruleset version: the caller recomputes from the stream instead.
  if (leadState.ruleset !== ruleset.key) return undefined;
  return scoreAt(leadState, Math.max(now, scoredAt.getTime()), ruleset);
}
