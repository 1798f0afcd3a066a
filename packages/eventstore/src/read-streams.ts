import { forEachRow } from './for-each-row.js';
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
 * Every event of many streams in one query, handed to `visit` stream by stream, each stream once
 * and in stream order, as the rows arrive (see forEachRow): a replay folds a stream while its
 * events are young. Streams come in id order; a stream without events comes last, with none.
 */
export async function forEachStream(
  db: Queryable,
  streamIds: readonly string[],
  visit: (streamId: string, events: RecordedEvent[]) => void,
): Promise<void> {
  if (streamIds.length === 0) return;
  const unvisited = new Set(streamIds);
  let current: string | undefined;
  let events: RecordedEvent[] = [];
  const visitCurrent = () => {
    if (current === undefined) return;
    unvisited.delete(current);
    visit(current, events);
  };
  await forEachRow<MessageRow>(db, readStreamsSql, [streamIds], (row) => {
    if (row.stream_id !== current) {
      visitCurrent();
      current = row.stream_id;
      events = [];
    }
    events.push(toRecordedEvent(row));
  });
  visitCurrent();
  for (const streamId of unvisited) visit(streamId, []);
}

/**
 * Every event of many streams in one query, grouped by stream, each in stream order (a stream
 * without events maps to an empty list). For replays that visit streams in batches.
 */
export async function readStreams(
  db: Queryable,
  streamIds: readonly string[],
): Promise<Map<string, RecordedEvent[]>> {
  const byStream = new Map<string, RecordedEvent[]>();
  await forEachStream(db, streamIds, (streamId, events) => byStream.set(streamId, events));
  return byStream;
}
