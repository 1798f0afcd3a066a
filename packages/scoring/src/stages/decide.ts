import type { ScoreView } from '../engine/score-view.js';
import type { StagePolicy } from '../ruleset/ruleset.schema.js';
import { changeInstant } from './change-instant.js';
import { movesByHand } from './manual-moves.js';
import type {
  Stage,
  StageChanged,
  StageChangeReason,
  StageScore,
  StageSignal,
  StageState,
} from './stage.schema.js';

type Requirement = StagePolicy['mql'];

// Grades are letters, best first, so a grade is good enough when it sorts at or before the minimum.
const meets = (requirement: Requirement, score: StageScore): boolean =>
  score.total >= requirement.minTotal &&
  (requirement.minGrade === undefined || score.grade <= requirement.minGrade);

/**
 * Whether a recycled lead is back at mql: its score reaches the requirement on this look after a
 * look that did not (the recycle itself, or one since), i.e. it crossed the threshold upwards again.
 * A lead recycled by hand while still qualified must cool below the threshold and earn it again,
 * or recycling would be undone by its next point. A lead demoted to recycled was below already.
 * An event's signal may carry the score just before it: below the requirement after the recycle,
 * that is the dip too, seen even when the decay check that would have looked at it came too late.
 */
const requalifies = (
  state: StageState,
  view: ScoreView,
  signal: StageSignal,
  policy: StagePolicy,
): boolean => {
  if (!meets(policy.mql, view)) return false;
  if (state.lastLook === undefined || !meets(policy.mql, state.lastLook)) return true;
  const dippedBefore =
    signal.kind === 'event' &&
    signal.before !== undefined &&
    signal.at >= (state.since ?? Number.NEGATIVE_INFINITY) &&
    !meets(policy.mql, signal.before);
  return dippedBefore;
};

const FUNNEL_RANK: Partial<Record<Stage, number>> = { mql: 1, sql: 2 };

/**
 * Decides which stage changes a lead's new score calls for, in the order they happen.
 *
 * - Forward only by default; one look can climb several stages (lead -> mql -> sql -> prospect).
 * - recycled leads climb again once their score crosses the mql threshold upwards after the
 *   recycle (see requalifies); disqualified leads stay put until a person moves them.
 * - prospect needs a two-way signal (at any time so far) and at least policy.prospect.minStage.
 * - With demotion enabled, mql and sql leads step down once the total falls `hysteresis` below the
 *   threshold they crossed, and climb back only at the threshold itself, so a score hovering inside
 *   the band never flaps. Prospects are never demoted automatically.
 * - A person's move happens only where manualMoveSources allows it (never back down the funnel).
 * - A change is dated at the signal's instant, but never before the lead's previous change
 *   (changeInstant); it carries the score it was decided on.
 */
export function decide(
  state: StageState,
  view: ScoreView,
  signal: StageSignal,
  policy: StagePolicy,
): StageChanged[] {
  const base = {
    type: 'LeadStageChanged' as const,
    at: changeInstant(state, signal.at),
    total: view.total,
    grade: view.grade,
    ...(signal.kind === 'event' ? { eventId: signal.eventId } : {}),
  };
  if (signal.kind === 'manual') {
    if (!movesByHand(state.stage, signal.to)) return [];
    const note = signal.note === undefined ? {} : { note: signal.note };
    return [{ ...base, from: state.stage, to: signal.to, reason: 'manual', ...note }];
  }
  if (state.stage === 'disqualified') return [];

  const scoreReason: StageChangeReason = signal.kind === 'event' ? 'threshold' : signal.kind;
  const changes: StageChanged[] = [];
  let stage: Stage = state.stage;
  const move = (to: Stage, reason: StageChangeReason) => {
    changes.push({ ...base, from: stage, to, reason });
    stage = to;
  };

  if (stage === 'lead' && meets(policy.mql, view)) move('mql', scoreReason);
  if (stage === 'recycled' && requalifies(state, view, signal, policy)) move('mql', scoreReason);
  if (stage === 'mql' && meets(policy.mql, view) && meets(policy.sql, view)) move('sql', scoreReason);
  const minRank = FUNNEL_RANK[policy.prospect.minStage]!;
  if (view.twoWay && (FUNNEL_RANK[stage] ?? 0) >= minRank) move('prospect', 'two-way-signal');
  if (changes.length > 0 || !policy.demotion.enabled) return changes;

  const { hysteresis } = policy.demotion;
  if (stage === 'sql' && view.total < policy.sql.minTotal - hysteresis) move('mql', scoreReason);
  if (stage === 'mql' && view.total < policy.mql.minTotal - hysteresis) move('recycled', scoreReason);
  return changes;
}

/** Applies a decided change: the lead is now in `to`, since the change's time. */
export function evolve(state: StageState, event: StageChanged): StageState {
  return { ...state, stage: event.to, since: event.at };
}

/**
 * The lead's stage state after a look: the look's changes applied in order, and the score it saw
 * remembered for the next look (decide reads it for recycled leads). What the projector keeps per
 * lead; replaying looks through decide and afterLook gives the same states every time.
 */
export function afterLook(state: StageState, view: ScoreView, changes: readonly StageChanged[]): StageState {
  return { ...changes.reduce(evolve, state), lastLook: { total: view.total, grade: view.grade } };
}

/**
 * Totals at which decide() can answer differently: pass them to nextCrossing to know when a lead
 * must be looked at again although no event arrived.
 */
export function stageThresholds(policy: StagePolicy): number[] {
  const climbs = [policy.mql.minTotal, policy.sql.minTotal];
  const falls = policy.demotion.enabled ? climbs.map((t) => t - policy.demotion.hysteresis) : [];
  return [...new Set([...climbs, ...falls])].sort((a, b) => a - b);
}
