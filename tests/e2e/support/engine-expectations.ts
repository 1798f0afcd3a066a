import {
  type CompiledRuleset,
  compareEvents,
  decide,
  emptyLeadState,
  evolve,
  fold,
  initialStageState,
  type ScoringEvent,
  type Stage,
  scoreAt,
} from '../../../packages/scoring/src/index.js';

export interface ExpectedStageChange {
  readonly from: Stage;
  readonly to: Stage;
  readonly triggeringEventId: string;
}

/**
 * The stage changes the engine and the decider call for when a lead's events arrive in the order
 * they occurred: after each event, the decider looks at the score as of that event. This is the
 * pipeline's contract spelled out with the pure domain only (no service code).
 */
export function expectedStageChanges(
  events: readonly ScoringEvent[],
  ruleset: CompiledRuleset,
): ExpectedStageChange[] {
  let state = emptyLeadState(ruleset);
  let stage = initialStageState;
  const changes: ExpectedStageChange[] = [];
  for (const event of [...events].sort(compareEvents)) {
    state = fold(state, event, ruleset).state;
    const view = scoreAt(state, event.occurredAt, ruleset);
    for (const change of decide(
      stage,
      view,
      { kind: 'event', at: event.occurredAt, eventId: event.id },
      ruleset.stages,
    )) {
      stage = evolve(stage, change);
      changes.push({ from: change.from, to: change.to, triggeringEventId: event.id });
    }
  }
  return changes;
}
