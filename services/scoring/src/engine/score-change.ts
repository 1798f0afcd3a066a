import type { ScoreChange } from '@leadscore/contracts';
import { type Alert, type CompiledRuleset, type ScoreView, scoreAt } from '@leadscore/scoring';
import type { LeadActivity } from './lead-activity.js';
import { type LeadScoreRecord, type PreviousRecord, scoredUnder } from './lead-record.js';

export interface LeadScoreTrigger {
  readonly eventId: string;
  readonly globalPosition: bigint;
  readonly occurredAt: number;
  /** The page the event is about (`properties.url`), named in alerts. */
  readonly url: string | undefined;
}

/** One lead's score moved because of one event: what score-changed messages are made of. */
export interface LeadScoreChange {
  readonly record: LeadScoreRecord;
  /** The event that caused it, and its global position. */
  readonly trigger: LeadScoreTrigger;
  /** The score just before, as of the same instant as the new one; null for a new lead. */
  readonly old: ScoreView | null;
  readonly changes: readonly ScoreChange[];
  readonly recomputed: boolean;
  readonly alerts: readonly Alert[];
}

/**
 * The previous score at the instant of the new one, so the difference is the event's own effect
 * and not the decay since the previous event. Under another ruleset (or for a state that cannot be
 * read at that instant) the stored score is the best statement of "before".
 */
export function previousView(
  previous: PreviousRecord | undefined,
  at: number,
  ruleset: CompiledRuleset,
): ScoreView | null {
  if (previous === undefined) return null;
  // view.at is the time of the previous record's latest event.
  if (scoredUnder(previous) !== ruleset.key || previous.view.at > at) return previous.view;
  if (previous.state === undefined) {
    throw new Error(`lead ${previous.leadId}: its record was read without the state its old score needs`);
  }
  return scoreAt(previous.state, at, ruleset);
}

/** What moved between two scores; empty when nothing a consumer acts on did. */
export function changesBetween(old: ScoreView | null, next: ScoreView): ScoreChange[] {
  if (old === null) return ['score', 'grade', 'temperature', ...(next.twoWay ? ['signals' as const] : [])];
  const changes: ScoreChange[] = [];
  if (old.total !== next.total || old.engagement !== next.engagement || old.fit !== next.fit) {
    changes.push('score');
  }
  if (old.grade !== next.grade) changes.push('grade');
  if (old.temperature !== next.temperature) changes.push('temperature');
  if (old.twoWay !== next.twoWay) changes.push('signals');
  return changes;
}

/** The trigger of a change: the event, its position, and the page it names if any. */
export function triggerOf(event: LeadActivity): LeadScoreTrigger {
  const url = event.data.properties?.url;
  return {
    eventId: event.eventId,
    globalPosition: event.globalPosition,
    occurredAt: event.occurredAt,
    url: typeof url === 'string' ? url : undefined,
  };
}
