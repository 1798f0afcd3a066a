import type { ScoreView } from '../engine/score-view.js';
import type { StagePolicy } from '../ruleset/ruleset.schema.js';
import type { Stage, StageChanged, StageChangeReason, StageSignal, StageState } from './stage.schema.js';

type Requirement = StagePolicy['mql'];

// Grades are letters, best first, so a grade is good enough when it sorts at or before the minimum.
const meets = (requirement: Requirement, view: ScoreView): boolean =>
  view.total >= requirement.minTotal &&
  (requirement.minGrade === undefined || view.grade <= requirement.minGrade);

const FUNNEL_RANK: Partial<Record<Stage, number>> = { mql: 1, sql: 2 };

/**
 * Decides which stage changes a lead's new score calls for, in the order they happen.
 *
 * - Forward only by default; one look can climb several stages (lead -> mql -> sql -> prospect).
 * - recycled leads climb again like new ones; disqualified leads stay put until a person moves them.
 * - prospect needs a two-way signal (at any time so far) and at least policy.prospect.minStage.
 * - With demotion enabled, mql and sql leads step down once the total falls `hysteresis` below the
 *   threshold they crossed, and climb back only at the threshold itself, so a score hovering inside
 *   the band never flaps. Prospects are never demoted automatically.
 */
export function decide(
  state: StageState,
  view: ScoreView,
  signal: StageSignal,
  policy: StagePolicy,
): StageChanged[] {
  const base = {
    type: 'LeadStageChanged' as const,
    at: signal.at,
    total: view.total,
    grade: view.grade,
    ...(signal.kind === 'event' ? { eventId: signal.eventId } : {}),
  };
  if (signal.kind === 'manual') {
    if (signal.to === state.stage) return [];
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

  if ((stage === 'lead' || stage === 'recycled') && meets(policy.mql, view)) move('mql', scoreReason);
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
export function evolve(_state: StageState, event: StageChanged): StageState {
  return { stage: event.to, since: event.at };
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
