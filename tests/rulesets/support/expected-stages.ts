import { type CompiledRuleset, type ScoringEvent, scoreEvents } from '../../../packages/scoring/src/index.js';

export interface ExpectedPath {
  readonly stage: 'lead' | 'mql' | 'sql' | 'prospect';
  readonly mqlAt: number | null;
  /** When the lead first reached sql or prospect. */
  readonly qualifiedAt: number | null;
}

/**
 * The stages a lead reaches under a forward-only ruleset, computed straight from the thresholds
 * (not with the stage decider): the score only moves at events (positive points decay between
 * them), so a threshold is reached exactly when the score as of some event is at or above it.
 * mql: total >= mql threshold; sql: total >= sql threshold with a good enough grade; prospect: mql
 * reached and a two-way event at any time (the later of the two is when).
 */
export function expectedPath(events: readonly ScoringEvent[], ruleset: CompiledRuleset): ExpectedPath {
  const { mql, sql } = ruleset.stages;
  const times = events.map((event) => event.occurredAt).sort((a, b) => a - b);
  const views = times.map((at) => scoreEvents(events, ruleset, at));
  const mqlAt = times.find((_, i) => views[i]!.total >= mql.minTotal) ?? null;
  const sqlAt =
    times.find((_, i) => views[i]!.total >= sql.minTotal && views[i]!.grade <= (sql.minGrade ?? 'F')) ?? null;
  const twoWayAt = views.find((view) => view.twoWay)?.at ?? null;
  const prospectAt = mqlAt === null || twoWayAt === null ? null : Math.max(mqlAt, twoWayAt);
  const qualified = [sqlAt, prospectAt].filter((at): at is number => at !== null);
  return {
    stage: prospectAt !== null ? 'prospect' : sqlAt !== null ? 'sql' : mqlAt !== null ? 'mql' : 'lead',
    mqlAt,
    qualifiedAt: qualified.length === 0 ? null : Math.min(...qualified),
  };
}

const FUNNEL = ['lead', 'mql', 'sql', 'prospect'] as const;

/**
 * The stage publishing a forward-only `candidate` at `publishedAt` moves a lead in `stage` to,
 * computed from the thresholds: the projector looks once at the candidate's score decayed to the
 * publication and climbs from where the lead stands as far as that score reaches (mql; sql with
 * the grade; prospect after a two-way event once at least mql). Nothing moves down, and a
 * disqualified lead stays. For leads in a funnel stage or disqualified (not recycled).
 */
export function publishedStage(
  stage: ExpectedPath['stage'] | 'disqualified',
  events: readonly ScoringEvent[],
  candidate: CompiledRuleset,
  publishedAt: number,
): ExpectedPath['stage'] | 'disqualified' {
  if (stage === 'disqualified') return stage;
  const { mql, sql } = candidate.stages;
  const view = scoreEvents(events, candidate, publishedAt);
  let rank: number = FUNNEL.indexOf(stage);
  if (rank === 0 && view.total >= mql.minTotal) rank = 1;
  if (rank === 1 && view.total >= sql.minTotal && view.grade <= (sql.minGrade ?? 'F')) rank = 2;
  if (rank >= 1 && view.twoWay) rank = 3;
  return FUNNEL[rank]!;
}
