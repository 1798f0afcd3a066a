import type { RecordedEvent } from './types.js';

/** The columns every read selects, in SQL, and how a row becomes a RecordedEvent. */
export const messageColumns = `event_id, stream_id, stream_position, global_position, transaction_id::text AS transaction_id,
       type, data, metadata, occurred_at, recorded_at`;

export interface MessageRow {
  event_id: string;
  stream_id: string;
  stream_position: string;
  global_position: string;
  transaction_id: string;
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
    transactionId: BigInt(row.transaction_id),
    type: row.type,
    data: row.data,
    metadata: row.metadata,
    occurredAt: row.occurred_at,
    recordedAt: row.recorded_at,
  };
}
