import type { RecordedEvent } from './types.js';

/**
 * The columns every read selects, in SQL, and how a row becomes a RecordedEvent. The transaction
 * id comes as text (pg has no parser for xid8) under a name of its own: were the output column
 * named transaction_id, an ORDER BY transaction_id in the same statement would sort by that text
 * (an output name wins over an input column there), putting 10000 before 9999, and a reader
 * paging the log in that order would step past events it never read.
 */
export const messageColumns = `event_id, stream_id, stream_position, global_position,
       transaction_id::text AS transaction_id_text, type, data, metadata, occurred_at, recorded_at`;

export interface MessageRow {
  event_id: string;
  stream_id: string;
  stream_position: string;
  global_position: string;
  transaction_id_text: string;
  type: string;
  data: unknown;
  metadata: Record<string, unknown> | null;
  occurred_at: Date;
  recorded_at: Date;
}

export function toRecordedEvent(row: MessageRow): RecordedEvent {
  return {
    eventId: row.event_id,
    streamId: row.stream_id,
    streamPosition: Number(row.stream_position),
    globalPosition: BigInt(row.global_position),
    transactionId: BigInt(row.transaction_id_text),
    type: row.type,
    data: row.data,
    metadata: row.metadata,
    occurredAt: row.occurred_at,
    recordedAt: row.recorded_at,
  };
}
