import { isActivityType, leadStreamId } from '@leadscore/contracts';
import { type Queryable, type RecordedEvent, readStream } from '@leadscore/eventstore';
import {
  type CompiledRuleset,
  crossingThresholds,
  foldEvents,
  type LeadState,
  nextCrossing,
  type ScoreView,
  scoreAt,
  scoringEventFromStored,
} from '@leadscore/scoring';

/**
 * A lead's scoring state as of `at`, folded from its activity events in the store (the source of
 * truth, so a decay check needs no other service's read model). Only events up to `decidedUpTo`
 * (the global position of the last score change the projector decided on) count: an event the
 * scoring service has not announced yet gets its own decision when its score change arrives, so
 * a check never runs ahead of the score changes. A check is rare, once per crossing, so reading
 * the lead's stream for it is cheap enough.
 */
export async function leadStateAt(
  db: Queryable,
  leadId: string,
  at: number,
  decidedUpTo: bigint | null,
  ruleset: CompiledRuleset,
): Promise<LeadState> {
  const { events } = await readStream(db, leadStreamId(leadId), { until: new Date(at) });
  return leadStateOf(events, at, decidedUpTo, ruleset);
}

/**
 * leadStateAt from the lead's stream read beforehand (any part of it that holds every event up
 * to `decidedUpTo`): its activity events up to `decidedUpTo` that occurred by `at`, folded.
 */
export function leadStateOf(
  stream: readonly RecordedEvent[],
  at: number,
  decidedUpTo: bigint | null,
  ruleset: CompiledRuleset,
): LeadState {
  const decided = stream.filter(
    (event) =>
      isActivityType(event.type) &&
      event.occurredAt.getTime() <= at &&
      (decidedUpTo === null || event.globalPosition <= decidedUpTo),
  );
  return foldEvents(decided.map(scoringEventFromStored), ruleset, at);
}

/**
 * What a look at `at` takes from a lead's scoring state: the score decayed to that instant, and
 * when decay next carries it across a threshold (null: never), the schedule of the next check.
 */
export function decayedLook(
  state: LeadState,
  at: number,
  ruleset: CompiledRuleset,
): { readonly view: ScoreView; readonly nextCheckAt: number | null } {
  return {
    view: scoreAt(state, at, ruleset),
    nextCheckAt: nextCrossing(state, crossingThresholds(ruleset), at, ruleset)?.at ?? null,
  };
}
