import {
  type CompiledRuleset,
  crossingThresholds,
  foldEvents,
  nextCrossing,
  scoreAt,
  scoringEventFromActivity,
} from '@leadscore/scoring';
import type { LeadActivity } from './lead-activity.js';
import type { LeadScoreRecord, PreviousRecord } from './lead-record.js';
import { changesBetween, type LeadScoreChange, previousView, triggerOf } from './score-change.js';
import { addTouch, noTouches, type Touches } from './touches.js';

export interface RecomputeResult {
  readonly record: LeadScoreRecord;
  readonly change: LeadScoreChange | undefined;
}

/**
 * Rebuilds a lead's record from its recorded events (pure): the canonical fold, so the result is
 * the engine's score of the same events whatever order they arrived in. Used when an event
 * arrives after later ones, or when the lead was scored under another ruleset. Returns undefined
 * for a lead without events. `trigger` is the delivered event that asked for it, if any.
 *
 * With a trigger, only the events up to its position count. The stream read for it may already
 * hold later events not yet delivered, more or fewer of them depending on how far the relay and
 * the consumer lag; folding them in now would make the score changes published (and so the
 * projector's decisions) depend on timing. Left out, they are scored when they are delivered, and
 * replaying the store yields the same changes as the live run did.
 */
export function recomputeLead(
  previous: PreviousRecord | undefined,
  stream: readonly LeadActivity[],
  trigger: LeadActivity | undefined,
  ruleset: CompiledRuleset,
): RecomputeResult | undefined {
  const events =
    trigger === undefined ? stream : stream.filter((event) => event.globalPosition <= trigger.globalPosition);
  const latest = maxBy(events, (event) => event.globalPosition);
  if (latest === undefined) return undefined;
  const state = foldEvents(events.map(scoringEventFromActivity), ruleset);
  let at = 0;
  let touches: Touches = noTouches;
  let email: string | undefined;
  for (const event of events) {
    at = Math.max(at, event.occurredAt);
    touches = addTouch(touches, event.data.source, event.occurredAt);
    email = event.data.email ?? email;
  }
  const view = scoreAt(state, at, ruleset);
  const record: LeadScoreRecord = {
    leadId: latest.leadId,
    email: email ?? previous?.email,
    state,
    view,
    lastGlobalPosition: latest.globalPosition,
    lastEventId: latest.eventId,
    rulesetId: ruleset.source.id,
    rulesetVersion: ruleset.source.version,
    nextCrossingAt: nextCrossing(state, crossingThresholds(ruleset), at, ruleset)?.at ?? null,
    ...touches,
  };
  const old = previousView(previous, at, ruleset);
  const changes = changesBetween(old, view);
  const change: LeadScoreChange | undefined =
    changes.length === 0
      ? undefined
      : {
          record,
          trigger: triggerOf(trigger ?? latest),
          old,
          changes,
          recomputed: true,
          // Alerts are real-time signals for the lead's newest activity; a late event is not one.
          alerts: [],
        };
  return { record, change };
}

function maxBy<T>(items: readonly T[], key: (item: T) => bigint): T | undefined {
  let best: T | undefined;
  for (const item of items) if (best === undefined || key(item) > key(best)) best = item;
  return best;
}
