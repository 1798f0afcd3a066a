import { type MessageRow, messageColumns, toRecordedEvent } from './message-row.js';
import type { Queryable, RecordedEvent } from './types.js';

export interface ReadStreamOptions {
  /** First stream position to return (inclusive). Defaults to 1. */
  readonly from?: number;
  /** Last stream position to return (inclusive). */
  readonly to?: number;
  /** Only events that occurred at or before this instant (time travel: "as it was on ..."). */
  readonly until?: Date;
  /** At most this many events. */
  readonly maxCount?: number;
}

export interface ReadStreamResult {
  /** The stream's version now (0 when it has no events), whatever range was read. */
  readonly currentVersion: number;
  readonly events: readonly RecordedEvent[];
}

// One statement, so the version and the events come from the same snapshot.
const readStreamSql = `
SELECT stream.version AS current_version, message.*
  FROM eventstore.streams AS stream
  LEFT JOIN LATERAL (
    SELECT ${messageColumns}
      FROM eventstore.messages
     WHERE stream_id = $1
       AND stream_position >= $2
       AND ($3::bigint IS NULL OR stream_position <= $3)
       AND ($4::timestamptz IS NULL OR occurred_at <= $4)
     ORDER BY stream_position
     LIMIT $5
  ) AS message ON true
 WHERE stream.stream_id = $1
 ORDER BY message.stream_position`;

/** A stream's events in stream order. A stream that does not exist reads as version 0, no events. */
export async function readStream(
  db: Queryable,
  streamId: string,
  options: ReadStreamOptions = {},
): Promise<ReadStreamResult> {
  const { rows } = await db.query<MessageRow & { current_version: string }>(readStreamSql, [
    streamId,
    options.from ?? 1,
    options.to ?? null,
    options.until ?? null,
    options.maxCount ?? null,
  ]);
  const first = rows[0];
  if (first === undefined) return { currentVersion: 0, events: [] };
  return {
    currentVersion: Number(first.current_version),
    events: rows.filter((row) => row.event_id !== null).map(toRecordedEvent),
  };
}
