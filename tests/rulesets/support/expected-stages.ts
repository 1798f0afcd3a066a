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
