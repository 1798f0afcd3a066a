import { compareEvents, type ScoringEvent } from '../event.js';
import type { CompiledRuleset } from '../ruleset/compile-ruleset.js';
import { type Explanation, explain } from './explain.js';
import { fold } from './fold.js';
import { emptyLeadState, type LeadState } from './lead-state.js';
import { type ScoreView, scoreAt } from './score-view.js';

/**
 * The canonical state of a lead: its events that occurred up to `at` (all of them without `at`),
 * sorted by (occurredAt, id), one per id (the earliest), folded in that order. Arrival order and
 * resends therefore cannot change it.
 */
export function foldEvents(
  events: Iterable<ScoringEvent>,
  ruleset: CompiledRuleset,
  at: number = Number.POSITIVE_INFINITY,
): LeadState {
  const ordered = [...events].filter((event) => event.occurredAt <= at).sort(compareEvents);
  const seen = new Set<string>();
  let state = emptyLeadState(ruleset);
  for (const event of ordered) {
    if (seen.has(event.id)) continue;
    seen.add(event.id);
    state = fold(state, event, ruleset).state;
  }
  return state;
}

/** The score of a set of events as of `at`: the definition every incremental path must agree with. */
export function scoreEvents(events: Iterable<ScoringEvent>, ruleset: CompiledRuleset, at: number): ScoreView {
  return scoreAt(foldEvents(events, ruleset, at), at, ruleset);
}

export function explainEvents(
  events: Iterable<ScoringEvent>,
  ruleset: CompiledRuleset,
  at: number,
): Explanation {
  return explain(foldEvents(events, ruleset, at), at, ruleset);
}
