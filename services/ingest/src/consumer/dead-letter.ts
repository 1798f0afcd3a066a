import type { ConsumedMessage, OutgoingMessage } from '@leadscore/kafka';

export const DLQ_REASON_HEADER = 'x-dlq-reason';
export const DLQ_ERROR_HEADER = 'x-dlq-error';
export const DLQ_SOURCE_TOPIC_HEADER = 'x-dlq-source-topic';
export const DLQ_SOURCE_PARTITION_HEADER = 'x-dlq-source-partition';
export const DLQ_SOURCE_OFFSET_HEADER = 'x-dlq-source-offset';

/** Why a message could not be stored; the value of the `x-dlq-reason` header. */
export type DeadLetterReason =
  | 'invalid-json'
  | 'invalid-event'
  | 'invalid-lead-key'
  | 'unstorable-event'
  | 'id-conflict';

export interface Rejection {
  readonly reason: DeadLetterReason;
  /** What exactly was wrong, for the person reading the DLQ. */
  readonly detail: string;
}

// Headers travel with every fetch of the DLQ; a huge validation report is cut, not dropped.
const MAX_DETAIL_LENGTH = 2_000;

/**
 * The DLQ copy of a message: the original bytes and headers untouched, plus where it came from
 * (so it can be found, replayed and deduplicated) and why it was refused.
 */
export function deadLetterMessage(message: ConsumedMessage, rejection: Rejection): OutgoingMessage {
  return {
    key: message.key ?? '',
    value: message.value,
    headers: {
      ...message.headers,
      [DLQ_REASON_HEADER]: rejection.reason,
      [DLQ_ERROR_HEADER]: rejection.detail.slice(0, MAX_DETAIL_LENGTH),
      [DLQ_SOURCE_TOPIC_HEADER]: message.topic,
      [DLQ_SOURCE_PARTITION_HEADER]: String(message.partition),
      [DLQ_SOURCE_OFFSET_HEADER]: message.offset,
    },
  };
}
