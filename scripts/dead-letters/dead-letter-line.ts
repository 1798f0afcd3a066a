import type { TopicMessage } from './read-to-end.js';

const utf8 = new TextDecoder('utf-8', { fatal: true });

/** The bytes as text when they are UTF-8; undefined when they are not. */
function asText(bytes: Buffer): string | undefined {
  try {
    return utf8.decode(bytes);
  } catch {
    return undefined;
  }
}

/**
 * One dead letter as a JSON-ready object: where it sits on the DLQ, when it was written, its key,
 * its headers (the `x-dlq-*` ones say why and where from; the original ones, such as
 * `x-leadscore-api-key-id`, say who sent it) and its value. The value is the original message's
 * text, untouched, so what was wrong with it stays visible; bytes that are not UTF-8 are given
 * as `valueBase64` instead.
 */
export function deadLetterLine({ partition, message }: TopicMessage): Record<string, unknown> {
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(message.headers ?? {})) {
    // kafkajs gives an array when a header name repeats: the last one wins, as for the services.
    const last = Array.isArray(value) ? value.at(-1) : value;
    if (last !== undefined) headers[name] = last.toString();
  }
  const value = message.value ?? Buffer.alloc(0);
  const text = asText(value);
  return {
    partition,
    offset: message.offset,
    timestamp: new Date(Number(message.timestamp)).toISOString(),
    key: message.key === null ? null : message.key.toString(),
    headers,
    ...(text === undefined ? { valueBase64: value.toString('base64') } : { value: text }),
  };
}
