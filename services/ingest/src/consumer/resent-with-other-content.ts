import { canonicalJson, type JsonValue } from '@leadscore/contracts';
import type { IdConflict, Queryable } from '@leadscore/eventstore';
import type { ActivityToStore } from './store-activities.js';

interface StoredEvent {
  event_id: string;
  type: string;
  occurred_at: Date;
  data: unknown;
}

/**
 * Of the activities an append skipped as already stored in their own stream, those whose stored
 * event is another one: the same id with another type, instant or data. The store keeps the first
 * event of an id, so the second, answered 202, would vanish as if it were a resend. The webhook
 * refuses this within one request; across requests only the store can tell. Read only when the
 * append skipped something (resends, redeliveries), so the usual append pays nothing.
 */
export async function resentWithOtherContent(
  db: Queryable,
  skipped: readonly ActivityToStore[],
): Promise<IdConflict[]> {
  if (skipped.length === 0) return [];
  const { rows } = await db.query<StoredEvent>(
    'SELECT event_id, type, occurred_at, data FROM eventstore.messages WHERE event_id = ANY($1::text[])',
    [skipped.map((activity) => activity.eventId)],
  );
  const stored = new Map(rows.map((row) => [row.event_id, row]));
  return skipped
    .filter((activity) => {
      const event = stored.get(activity.eventId);
      return event !== undefined && !isSameEvent(event, activity);
    })
    .map(({ eventId, streamId }) => ({ eventId, streamId, storedStreamId: streamId }));
}

function isSameEvent(stored: StoredEvent, activity: ActivityToStore): boolean {
  return (
    stored.type === activity.type &&
    stored.occurred_at.toISOString() === activity.occurredAt &&
    canonicalJson(stored.data as JsonValue) === canonicalJson(activity.data as unknown as JsonValue)
  );
}
