import { createRequire } from 'node:module';
import fc from 'fast-check';
import type { PartitionerArgs, PartitionMetadata } from 'kafkajs';
import { Partitioners } from 'kafkajs';
import { describe, expect, it } from 'vitest';
import { JavaCompatiblePartitioner, javaPartitionForKey, murmur2 } from './java-partitioner.js';

// kafkajs's own port of the Java murmur2 (Long arithmetic): the reference for every key.
const kafkajsMurmur2 = createRequire(import.meta.url)(
  'kafkajs/src/producer/partitioners/default/murmur2.js',
) as (key: Buffer | string) => number;

const partitionMetadata = (count: number): PartitionMetadata[] =>
  Array.from({ length: count }, (_, partitionId) => ({
    partitionErrorCode: 0,
    partitionId,
    leader: 1,
    replicas: [1],
    isr: [1],
  }));

const anyKey = fc.oneof(
  fc.string({ unit: 'binary', maxLength: 600 }),
  fc.string({ unit: 'grapheme-ascii', maxLength: 40 }),
  fc.uint8Array({ maxLength: 64 }).map((bytes) => Buffer.from(bytes)),
);

describe('murmur2', () => {
  it("gives the Java client's values (Kafka's UtilsTest vectors)", () => {
    const javaValues: Record<string, number> = {
      '21': -973932308,
      foobar: -790332482,
      'a-little-bit-long-string': -985981536,
      'a-little-bit-longer-string': -1486304829,
      lkjh234lh9fiuh90y23oiuhsafujhadof229phr9h19h89h8: -58897971,
      abc: 479470107,
    };
    for (const [key, value] of Object.entries(javaValues)) {
      expect(murmur2(Buffer.from(key))).toBe(value);
    }
  });

  it("equals kafkajs's murmur2 for any key, text (any UTF-8, lone surrogates, long) or bytes", () => {
    fc.assert(
      fc.property(anyKey, (key) => {
        const bytes = typeof key === 'string' ? Buffer.from(key, 'utf8') : key;
        expect(murmur2(bytes)).toBe(kafkajsMurmur2(key));
      }),
      { numRuns: 2_000 },
    );
  });
});

describe('JavaCompatiblePartitioner', () => {
  it("places every keyed message on kafkajs's DefaultPartitioner partition", () => {
    fc.assert(
      fc.property(anyKey, fc.integer({ min: 1, max: 200 }), (key, count) => {
        const args: PartitionerArgs = {
          topic: 't',
          partitionMetadata: partitionMetadata(count),
          message: { key, value: 'v' },
        };
        const expected = Partitioners.DefaultPartitioner()(args);
        expect(JavaCompatiblePartitioner()(args)).toBe(expected);
        expect(javaPartitionForKey(key, count)).toBe(expected);
      }),
      { numRuns: 2_000 },
    );
  });

  it('keeps an explicit partition and spreads keyless messages over the available partitions', () => {
    const partitioner = JavaCompatiblePartitioner();
    const metadata = partitionMetadata(6);
    expect(
      partitioner({
        topic: 't',
        partitionMetadata: metadata,
        message: { key: 'k', value: 'v', partition: 4 },
      }),
    ).toBe(4);
    const keyless = new Set(
      Array.from({ length: 60 }, () =>
        partitioner({ topic: 't', partitionMetadata: metadata, message: { key: null, value: 'v' } }),
      ),
    );
    expect([...keyless].sort()).toEqual([0, 1, 2, 3, 4, 5]);
  });
});
