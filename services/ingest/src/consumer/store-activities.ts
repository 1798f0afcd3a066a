import type { ActivityData } from '@leadscore/contracts';
import { appendToStreams, type IdConflict, type NewEvent, type Queryable } from '@leadscore/eventstore';
import { resentWithOtherContent } from './resent-with-other-content.js';

/** One valid consumed activity, ready for its lead's stream. */
export interface ActivityToStore {
  readonly streamId: string;
  readonly eventId: string;
  readonly type: string;
  readonly data: ActivityData;
  /** ISO-8601, UTC. */
  readonly occurredAt: string;
  readonly metadata: Readonly<Record<string, unknown>>;
}

export interface StoreResult {
  readonly appended: number;
  /** Ids that were already in the store (a resend or a redelivery): skipped, not stored twice. */
  readonly alreadyStored: number;
  /**
   * Events not stored because their id names another event: of another lead (see idConflicts), or
   * of the same lead with other content (resentWithOtherContent).
   */
  readonly conflicts: readonly IdConflict[];
}

export type ActivityAppender = (activities: readonly ActivityToStore[]) => Promise<StoreResult>;

/**
 * Appends a consumed batch in ONE transaction: either every valid event of the batch is stored
 * (or found already stored) or none is, so offsets committed after it never skip an event.
 * Events keep their partition order within each stream.
 */
export function createActivityAppender(db: Queryable): ActivityAppender {
  return async (activities) => {
    const byStream = new Map<string, NewEvent<ActivityData>[]>();
    for (const activity of activities) {
      const events = byStream.get(activity.streamId) ?? [];
      events.push({
        id: activity.eventId,
        type: activity.type,
        data: activity.data,
        metadata: activity.metadata,
        occurredAt: new Date(activity.occurredAt),
      });
      byStream.set(activity.streamId, events);
    }
    // Ingest has no decision to protect, so any version will do: arrival order is the order.
    const result = await appendToStreams(
      db,
      [...byStream].map(([streamId, events]) => ({ streamId, events, expectedVersion: 'any' as const })),
    );
    const skipped = new Set(result.skippedEventIds);
    for (const conflict of result.conflicts) skipped.delete(conflict.eventId);
    const changed = await resentWithOtherContent(
      db,
      activities.filter((activity) => skipped.has(activity.eventId)),
    );
    return {
      appended: result.appended.length,
      alreadyStored: result.skippedEventIds.length - result.conflicts.length - changed.length,
      conflicts: [...result.conflicts, ...changed],
    };
  };
}
