import {
  type CompiledRuleset,
  canonicalEvents,
  emptyLeadState,
  fold,
  type LeadState,
  type ScoreView,
  type ScoringEvent,
  type Stage,
  type StageState,
  scoreAt,
} from '@leadscore/scoring';
import type { LeadHistory, ManualMove } from './lead-history.js';
import { StageTrack } from './stage-track.js';

/** The figures a simulation counts of a lead under one ruleset. */
export interface LeadFigures {
  readonly stage: Stage;
  /** The total as of `asOf`. */
  readonly total: number;
  /**
   * When the ruleset's score first took the lead to mql or beyond (never a person's move); null if
   * it never did up to asOf.
   */
  readonly mqlAt: number | null;
}

/** Where a lead ends up under one ruleset, replayed over its history. */
export interface LeadTrajectory extends LeadFigures {
  /** The decider's state after the last look, as the projector's row would hold it. */
  readonly stageState: StageState;
  /** The lead's scoring state, every event up to asOf folded. */
  readonly scoring: LeadState;
}

/** What a score change announces (changesBetween in the scoring service): no change, no look. */
export function sameFacts(a: ScoreView, b: ScoreView): boolean {
  return (
    a.total === b.total &&
    a.engagement === b.engagement &&
    a.fit === b.fit &&
    a.grade === b.grade &&
    a.temperature === b.temperature &&
    a.twoWay === b.twoWay
  );
}

/**
 * Replays a lead's history under `ruleset` as the scorer and the projector would have lived it
 * (pure), every event as if it had arrived on time: its activity events and the moves people made,
 * in the order they occurred (an event before a move at the same instant), each through the
 * projector's decider. An event is looked at with the score as of its instant when it changed the
 * score (as the scoring service announces only changes); a move by hand at its recorded instant
 * with the score then; between them, decay checks at each crossing of the ruleset's thresholds,
 * and up to `asOf` after the last. A move that is not possible from where the replay has the lead
 * (manualMoveSources) changes nothing, as it would have changed nothing live.
 */
export function replayLead(
  history: Pick<LeadHistory, 'events' | 'manualMoves'>,
  ruleset: CompiledRuleset,
  asOf: number,
): LeadTrajectory {
  const { events, manualMoves } = history;
  const track = new StageTrack(ruleset);
  let scoring = emptyLeadState(ruleset);
  let e = 0;
  let m = 0;
  while (e < events.length || m < manualMoves.length) {
    const event = events[e];
    const move = manualMoves[m];
    if (event !== undefined && (move === undefined || event.occurredAt <= move.at)) {
      e += 1;
      track.checkDecayUntil(scoring, event.occurredAt, false);
      const result = fold(scoring, event, ruleset);
      if (result.outcome !== 'applied') continue;
      const before = scoring;
      scoring = result.state;
      const at = event.occurredAt;
      const view = scoreAt(scoring, at, ruleset);
      if (before.lastAt === null || !unchangedBy(before, scoring, at, view, ruleset)) {
        track.lookAtScore(view, { kind: 'event', at, eventId: event.id }, at);
      }
    } else if (move !== undefined) {
      m += 1;
      track.checkDecayUntil(scoring, move.at, false);
      track.lookByHand(scoreAt(scoring, move.at, ruleset), { kind: 'manual', at: move.at, to: move.to });
    }
  }
  track.checkDecayUntil(scoring, asOf, true);
  return {
    stage: track.state.stage,
    total: scoreAt(scoring, asOf, ruleset).total,
    mqlAt: track.mqlAt,
    stageState: track.state,
    scoring,
  };
}

// Whether an event left the score as it was at its instant. A state whose accumulators, traits
// and two-way signal the fold kept (the event matched no rule) scores the same without computing.
function unchangedBy(
  before: LeadState,
  after: LeadState,
  at: number,
  view: ScoreView,
  ruleset: CompiledRuleset,
): boolean {
  if (before.decay === after.decay && before.traits === after.traits && before.twoWayAt === after.twoWayAt) {
    return true;
  }
  return sameFacts(scoreAt(before, at, ruleset), view);
}

/**
 * replayLead of events in any order (and moves by hand, oldest first) up to `asOf`: for tests and
 * callers that have no LeadHistory.
 */
export function leadTrajectory(
  events: readonly ScoringEvent[],
  ruleset: CompiledRuleset,
  asOf: number,
  manualMoves: readonly ManualMove[] = [],
): LeadTrajectory {
  const history = {
    events: canonicalEvents(events, asOf),
    manualMoves: manualMoves.filter((move) => move.at <= asOf),
  };
  return replayLead(history, ruleset, asOf);
}
