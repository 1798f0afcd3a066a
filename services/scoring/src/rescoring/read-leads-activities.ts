import { type ActivityData, isActivityType, leadStreamId } from '@leadscore/contracts';
import { forEachRow, type Queryable } from '@leadscore/eventstore';
import type { LeadActivity } from '../engine/lead-activity.js';

/** One stored event as the query below encodes it: position (decimal), id, type, epoch ms, data. */
type EncodedEvent = [
  globalPosition: string,
  eventId: string,
  type: string,
  occurredAt: number,
  data: ActivityData,
];

// Only what the engine folds, one row per stream with its events as one JSON array: the driver
// then parses one JSON text per lead instead of a row of typed columns per event. Times are epoch
// ms, the microseconds cut to the millisecond as the driver's Date has them: truncated first, so
// the float8 epoch is within far less than half a millisecond of a whole number and the bigint
// cast lands on it exactly, for any year below about 70,000 (the webhook takes four-digit years;
// numeric `extract` did the same for 10% more of the statement). The key range around the
// streams bounds one primary key scan; without it the planner may scan the whole table.
const readSql = `
SELECT stream_id,
       json_agg(json_build_array(global_position::text, event_id, type,
                                 (date_part('epoch', date_trunc('milliseconds', occurred_at)) * 1000)::bigint, data)
                ORDER BY stream_position) AS events
  FROM eventstore.messages
 WHERE stream_id >= (SELECT min(id) FROM unnest($1::text[]) AS id)
   AND stream_id <= (SELECT max(id) FROM unnest($1::text[]) AS id)
   AND stream_id = ANY($1::text[])
 GROUP BY stream_id`;

/**
 * The activity and profile events of many leads in one query, handed to `visit` lead by lead as the
 * rows arrive, each lead once with its events in stream order; a lead without stored events comes
 * last, with none (as forEachStream does). The caller folds a lead's events while they are young,
 * and they are dropped after it (see forEachRow). A lead's appends are serialised and its
 * positions have no holes, so what is read is every event of the lead up to its latest committed
 * one.
 */
export async function forEachLeadActivities(
  db: Queryable,
  leadIds: readonly string[],
  visit: (leadId: string, activities: LeadActivity[]) => void,
): Promise<void> {
  if (leadIds.length === 0) return;
  // Each stream's lead until it is visited; what is left had no row.
  const unvisited = new Map(leadIds.map((leadId) => [leadStreamId(leadId), leadId]));
  await forEachRow<{ stream_id: string; events: EncodedEvent[] }>(
    db,
    readSql,
    [[...unvisited.keys()]],
    (row) => {
      const leadId = unvisited.get(row.stream_id)!;
      unvisited.delete(row.stream_id);
      const activities: LeadActivity[] = [];
      for (const [globalPosition, eventId, type, occurredAt, data] of row.events) {
        if (!isActivityType(type)) continue;
        // Validated by the ingest before it was stored; the store is the source of truth.
        activities.push({ eventId, leadId, type, occurredAt, globalPosition: BigInt(globalPosition), data });
      }
      visit(leadId, activities);
    },
  );
  for (const leadId of unvisited.values()) visit(leadId, []);
}
