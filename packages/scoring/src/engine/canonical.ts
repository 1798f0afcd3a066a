import { compareEvents, type ScoringEvent } from '../event.js';
import type { CompiledRuleset } from '../ruleset/compile-ruleset.js';
import { type Explanation, explain } from './explain.js';
import { foldInto } from './fold.js';
import { emptyLeadState, type LeadState } from './lead-state.js';
import { type ScoreView, scoreAt } from './score-view.js';

/**
 * A lead's events in the order its canonical state folds them: those that occurred up to `at` (all
 * of them without `at`), sorted by (occurredAt, id), one per id (the earliest). Arrival order and
 * resends therefore cannot change what follows from them. A caller replaying one lead under
 * several rulesets orders once and folds this list each time.
 */
export function canonicalEvents(
  events: Iterable<ScoringEvent>,
  at: number = Number.POSITIVE_INFINITY,
): ScoringEvent[] {
  const ordered = [...events].filter((event) => event.occurredAt <= at).sort(compareEvents);
  const seen = new Set<string>();
  return ordered.filter((event) => {
    if (seen.has(event.id)) return false;
    seen.add(event.id);
    return true;
  });
}

/** The canonical state of a lead: its canonicalEvents up to `at`, folded in that order. */
export function foldEvents(
  events: Iterable<ScoringEvent>,
  ruleset: CompiledRuleset,
  at: number = Number.POSITIVE_INFINITY,
): LeadState {
  // A new state of its own, filled in place: one state per lead rather than one per event.
  const state = emptyLeadState(ruleset);
  for (const event of canonicalEvents(events, at)) foldInto(state, event, ruleset);
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
