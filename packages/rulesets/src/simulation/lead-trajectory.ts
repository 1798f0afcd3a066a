import {
  type CompiledRuleset,
  canonicalEvents,
  decide,
  emptyLeadState,
  evolve,
  fold,
  initialStageState,
  type ScoringEvent,
  type Stage,
  scoreAt,
} from '@leadscore/scoring';

/** Where a lead ends up under one ruleset, replayed over its history. */
export interface LeadTrajectory {
  readonly stage: Stage;
  /** The total as of `asOf`. */
  readonly total: number;
  /** When the lead first reached mql (or beyond in the same step); null if it never did. */
  readonly mqlAt: number | null;
}

const QUALIFIED: ReadonlySet<Stage> = new Set(['mql', 'sql', 'prospect']);

/**
 * Replays a lead's events under `ruleset` as the scorer and the projector would have (pure): each
 * event in canonical order folds into the score, the stage decider looks at the score as of the
 * event, and finally at `asOf` (where decay may have moved it). Between events only the final look
 * sees decay: with positive points a score only falls between events, so a forward-only policy
 * promotes at event times alone; a policy with demotion is looked at once more, at `asOf`.
 */
export function leadTrajectory(
  events: readonly ScoringEvent[],
  ruleset: CompiledRuleset,
  asOf: number,
): LeadTrajectory {
  return trajectoryOfCanonical(canonicalEvents(events, asOf), ruleset, asOf);
}

/**
 * leadTrajectory of events already in canonical order up to `asOf` (canonicalEvents), so that a
 * lead replayed under several rulesets is ordered once.
 */
export function trajectoryOfCanonical(
  ordered: readonly ScoringEvent[],
  ruleset: CompiledRuleset,
  asOf: number,
): LeadTrajectory {
  let state = emptyLeadState(ruleset);
  let stage = initialStageState;
  let mqlAt: number | null = null;
  const look = (at: number, signal: Parameters<typeof decide>[2]) => {
    for (const change of decide(stage, scoreAt(state, at, ruleset), signal, ruleset.stages)) {
      stage = evolve(stage, change);
      if (mqlAt === null && QUALIFIED.has(change.to)) mqlAt = change.at;
    }
  };

  for (const event of ordered) {
    const result = fold(state, event, ruleset);
    if (result.outcome !== 'applied') continue;
    state = result.state;
    look(event.occurredAt, { kind: 'event', at: event.occurredAt, eventId: event.id });
  }
  look(asOf, { kind: 'decay', at: asOf });
  return { stage: stage.stage, total: scoreAt(state, asOf, ruleset).total, mqlAt };
}
