import type { Batch, IHeaders, Message } from 'kafkajs';
import type { ConsumedBatch, ConsumedMessage, Headers, OutgoingMessage } from '../bus.js';

export function toKafkaMessage(message: OutgoingMessage): Message {
  return { key: message.key, value: message.value, headers: { ...message.headers } };
}

/** Bytes a message adds to a produce request, close enough to keep requests under the broker's limit. */
export function approximateSize(message: OutgoingMessage): number {
  let size = Buffer.byteLength(message.key) + Buffer.byteLength(message.value);
  for (const [name, value] of Object.entries(message.headers ?? {})) {
    size += Buffer.byteLength(name) + Buffer.byteLength(value);
  }
  return size;
}

export function toConsumedBatch(batch: Batch): ConsumedBatch {
  const { topic, partition } = batch;
  return {
    topic,
    partition,
    messages: batch.messages.map(
      (message): ConsumedMessage => ({
        topic,
        partition,
        offset: message.offset,
        key: message.key ? message.key.toString('utf8') : null,
        // A tombstone (null value) arrives as empty bytes: nothing we publish is one.
        value: message.value ?? Buffer.alloc(0),
        headers: toHeaders(message.headers),
        timestamp: Number(message.timestamp),
      }),
    ),
  };
}

/** Kafka allows a header name to repeat; like Java's `lastHeader`, the last value wins. */
function toHeaders(headers: IHeaders | undefined): Headers {
  const result: Record<string, string> = {};
  for (const [name, raw] of Object.entries(headers ?? {})) {
    const value = Array.isArray(raw) ? raw[raw.length - 1] : raw;
    if (value !== undefined) result[name] = value.toString();
  }
  return result;
}
