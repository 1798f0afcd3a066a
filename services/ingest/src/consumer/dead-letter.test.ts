import type { ConsumedMessage } from '@leadscore/kafka';
import { describe, expect, it } from 'vitest';
import { deadLetterMessage } from './dead-letter.js';

const original: ConsumedMessage = {
  topic: 'prod.leadscore.activity.v1',
  partition: 4,
  offset: '9007199254740993',
  key: 'lead-42',
  value: Buffer.from([0xff, 0x00, 0x7b]),
  headers: { 'x-trace': 'abc', 'x-leadscore-api-key-id': 'esp' },
  timestamp: 1_700_000_000_000,
};

describe('deadLetterMessage', () => {
  it('keeps the key, the exact bytes and the headers, and says where it came from and why', () => {
    const letter = deadLetterMessage(original, { reason: 'invalid-json', detail: 'Unexpected token' });
    expect(letter.key).toBe('lead-42');
    expect(Buffer.compare(letter.value as Buffer, original.value)).toBe(0);
    expect(letter.headers).toEqual({
      'x-trace': 'abc',
      'x-leadscore-api-key-id': 'esp',
      'x-dlq-reason': 'invalid-json',
      'x-dlq-error': 'Unexpected token',
      'x-dlq-source-topic': 'prod.leadscore.activity.v1',
      'x-dlq-source-partition': '4',
      // 64-bit offsets stay exact: they are never turned into numbers.
      'x-dlq-source-offset': '9007199254740993',
    });
  });

  it('cuts a very long error detail instead of dropping it', () => {
    const letter = deadLetterMessage(original, { reason: 'invalid-event', detail: 'x'.repeat(10_000) });
    expect(letter.headers?.['x-dlq-error']).toHaveLength(2_000);
  });

  it('gives a message without key an empty key', () => {
    expect(
      deadLetterMessage({ ...original, key: null }, { reason: 'invalid-lead-key', detail: 'no key' }).key,
    ).toBe('');
  });
});
