import { type MessageRow, messageColumns, toRecordedEvent } from './message-row.js';
import type { Queryable, RecordedEvent } from './types.js';

// One primary key scan (stream_id, stream_position) over the streams' key range, all in one
// statement. Without the range, the planner may take a batch of a thousand streams for a large
// share of a small table and scan (and sort) all of it.
const readStreamsSql = `
SELECT ${messageColumns}
  FROM eventstore.messages
 WHERE stream_id >= (SELECT min(id) FROM unnest($1::text[]) AS id)
   AND stream_id <= (SELECT max(id) FROM unnest($1::text[]) AS id)
   AND stream_id = ANY($1::text[])
 ORDER BY stream_id, stream_position`;

/**
 * Every event of many streams in one query, grouped by stream, each in stream order (a stream
 * without events maps to an empty list). For replays that visit streams in batches.
 */
export async function readStreams(
  db: Queryable,
  streamIds: readonly string[],
): Promise<Map<string, RecordedEvent[]>> {
  const byStream = new Map<string, RecordedEvent[]>(streamIds.map((streamId) => [streamId, []]));
  if (streamIds.length === 0) return byStream;
  const { rows } = await db.query<MessageRow>(readStreamsSql, [streamIds]);
  for (const row of rows) byStream.get(row.stream_id)?.push(toRecordedEvent(row));
  return byStream;
}
