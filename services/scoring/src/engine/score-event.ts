import type { LeadEvent } from '@leadscore/contracts';
import {
  type CompiledRuleset,
  crossingThresholds,
  emptyLeadState,
  fold,
  nextCrossing,
  scoreAt,
  scoringEventFromActivity,
} from '@leadscore/scoring';
import { leadActivityOf } from './lead-activity.js';
import type { LeadScoreRecord } from './lead-record.js';
import { changesBetween, type LeadScoreChange, previousView, triggerOf } from './score-change.js';
import { addTouch, noTouches } from './touches.js';

export type ScoreEventOutcome =
  /** The event is already in the lead's state: a redelivery or a resend. Nothing changes. */
  | { readonly kind: 'already-applied' }
  /** The lead must be recomputed from its stream to include the event. */
  | { readonly kind: 'recompute'; readonly reason: 'late' | 'ruleset-changed' }
  | {
      readonly kind: 'applied';
      readonly record: LeadScoreRecord;
      /** Undefined when the event moved nothing a consumer acts on (say, a capped open). */
      readonly change: LeadScoreChange | undefined;
    };

/**
 * Folds one recorded event into the lead's record (pure). Idempotent by global position: an
 * event at or below the lead's last applied position is already counted.
 */
export function scoreEvent(
  previous: LeadScoreRecord | undefined,
  event: LeadEvent,
  ruleset: CompiledRuleset,
): ScoreEventOutcome {
  const activity = leadActivityOf(event);
  const position = activity.globalPosition;
  if (previous !== undefined && position <= previous.lastGlobalPosition) return { kind: 'already-applied' };
  if (previous !== undefined && previous.state.ruleset !== ruleset.key) {
    return { kind: 'recompute', reason: 'ruleset-changed' };
  }

  const scoringEvent = scoringEventFromActivity(activity);
  const result = fold(previous?.state ?? emptyLeadState(ruleset), scoringEvent, ruleset);
  if (result.outcome === 'late') return { kind: 'recompute', reason: 'late' };
  if (result.outcome === 'duplicate') return { kind: 'already-applied' };

  const at = scoringEvent.occurredAt;
  const view = scoreAt(result.state, at, ruleset);
  const touches = addTouch(previous ?? noTouches, event.data.source, at);
  const record: LeadScoreRecord = {
    leadId: event.leadId,
    email: event.data.email ?? previous?.email,
    state: result.state,
    view,
    lastGlobalPosition: position,
    lastEventId: event.eventId,
    rulesetId: ruleset.source.id,
    rulesetVersion: ruleset.source.version,
    nextCrossingAt: nextCrossing(result.state, crossingThresholds(ruleset), at, ruleset)?.at ?? null,
    ...touches,
  };
  const old = previousView(previous, at, ruleset);
  const changes = changesBetween(old, view);
  const change: LeadScoreChange | undefined =
    changes.length === 0 && result.alerts.length === 0
      ? undefined
      : {
          record,
          trigger: triggerOf(activity),
          old,
          changes,
          recomputed: false,
          alerts: result.alerts,
        };
  return { kind: 'applied', record, change };
}
