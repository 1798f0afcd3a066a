import {
  type CompiledRuleset,
  crossingThresholds,
  type LeadState,
  nextCrossing,
  parseLeadState,
  type ScoreView,
  scoreAt,
} from '@leadscore/scoring';

/** Where a lead stands at an instant: its score, and when decay alone next moves it across a line. */
export interface Standing {
  readonly view: ScoreView;
  /** Epoch ms of the next stage threshold or temperature band crossing after the instant; null if none. */
  readonly nextCrossingAt: number | null;
}

/** The standing of an engine state at `at` (not before the state's latest event). */
export function standingAt(state: LeadState, at: number, ruleset: CompiledRuleset): Standing {
  return {
    view: scoreAt(state, at, ruleset),
    nextCrossingAt: nextCrossing(state, crossingThresholds(ruleset), at, ruleset)?.at ?? null,
  };
}

/**
 * A lead's standing now, decayed exactly from the engine state the scoring service stored (no
 * stream read). `at` is never taken before the lead's latest event: an event stamped slightly in
 * the future by a sender's clock would otherwise make "now" precede the state. The stored row's
 * own next crossing is the one after its latest event, which may long have passed.
 */
export function currentStanding(
  state: unknown,
  scoredAt: Date,
  now: number,
  ruleset: CompiledRuleset,
): Standing | undefined {
  const leadState = parseLeadState(state);
  // Scored under another ruleset version: the caller recomputes from the stream instead.
  if (leadState.ruleset !== ruleset.key) return undefined;
  return standingAt(leadState, Math.max(now, scoredAt.getTime()), ruleset);
}
