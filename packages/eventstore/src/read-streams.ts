import { type MessageRow, messageColumns, toRecordedEvent } from './message-row.js';
import type { Queryable, RecordedEvent } from './types.js';

// One index range scan per stream (primary key stream_id, stream_position), all in one statement.
const readStreamsSql = `
SELECT ${messageColumns}
  FROM eventstore.messages
 WHERE stream_id = ANY($1::text[])
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
