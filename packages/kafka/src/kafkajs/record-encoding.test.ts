import { createRequire } from 'node:module';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';

// patches/kafkajs@2.2.4.patch rewrites how kafkajs encodes a record (varints written in place,
// small varlongs through the 32-bit path, headers written into one presized buffer) and how it
// decodes one (small varlongs and safe sums as numbers, headers gathered in one object). The bytes
// and the decoded records were compared with the unpatched code when the patch was written; this
// test keeps the two sides consistent: every record must read back as it was given, its offset
// and timestamp the exact sum of the batch's base and its delta.
const requireKafkajs = createRequire(import.meta.url);
type Encoded = { buffer: Buffer };
type Headers = Record<string, string | Buffer | (string | Buffer)[]>;
const encodeRecord = requireKafkajs('kafkajs/src/protocol/recordBatch/record/v0/index.js') as (record: {
  offsetDelta: number;
  timestampDelta: number;
  key: string | null;
  value: string | null;
  headers: Headers;
}) => Encoded;
const decodeRecord = requireKafkajs('kafkajs/src/protocol/recordBatch/record/v0/decoder.js') as (
  decoder: unknown,
  context: { firstOffset: string; firstTimestamp: string },
) => { offset: string; timestamp: string; key: Buffer | null; value: Buffer | null; headers: Headers };
const Decoder = requireKafkajs('kafkajs/src/protocol/decoder.js') as new (
  buffer: Buffer,
) => { readVarInt(): number; offset: number };

const text = fc.string({ unit: 'binary', maxLength: 80 });
const record = fc.record({
  offsetDelta: fc.integer({ min: 0, max: 2 ** 31 - 1 }),
  // Both sides of the 2^30 boundary where the patch switches between the 32- and 64-bit paths.
  timestampDelta: fc.oneof(
    fc.integer({ min: -(2 ** 30) - 2, max: 2 ** 30 + 2 }),
    fc.integer({ min: -(2 ** 31), max: 2 ** 31 - 1 }),
    fc.maxSafeInteger(),
    fc.constantFrom(0, 2 ** 30 - 1, 2 ** 30, -(2 ** 30), -(2 ** 30) - 1, 2 ** 31, -(2 ** 31) - 1, 2 ** 40),
  ),
  key: fc.option(text, { nil: null }),
  value: fc.option(fc.string({ unit: 'binary', maxLength: 3000 }), { nil: null }),
  headers: fc.dictionary(
    // Prefixed: kafkajs's decoder gathers headers in a plain object, where a name such as
    // "constructor" would find Object.prototype's.
    fc.string({ maxLength: 12 }).map((name) => `h-${name}`),
    fc.oneof(text, fc.array(text, { minLength: 1, maxLength: 3 })),
    { maxKeys: 8 },
  ),
});

// A batch's first offset and timestamp: int64 as decimal strings, beyond 2^53 too.
const int64 = fc.bigInt({ min: -(2n ** 62n), max: 2n ** 62n }).map(String);
const base = fc.oneof(int64, fc.bigInt({ min: 0n, max: 2n ** 53n }).map(String));

describe('kafkajs record encoding (patched)', () => {
  it('reads back as given, its length prefix the exact body length', () => {
    fc.assert(
      fc.property(record, base, base, (given, firstOffset, firstTimestamp) => {
        const bytes = encodeRecord(given).buffer;
        const decoder = new Decoder(bytes);
        const length = decoder.readVarInt();
        expect(length).toBe(bytes.length - decoder.offset);

        const read = decodeRecord(decoder, { firstOffset, firstTimestamp });
        expect(read.offset).toBe(String(BigInt(firstOffset) + BigInt(given.offsetDelta)));
        expect(read.timestamp).toBe(String(BigInt(firstTimestamp) + BigInt(given.timestampDelta)));
        expect(read.key?.toString() ?? null).toBe(given.key);
        expect(read.value?.toString() ?? null).toBe(given.value);
        const headers = Object.fromEntries(
          Object.entries(read.headers).map(([name, value]) => [
            name,
            Array.isArray(value) ? value.map(String) : String(value),
          ]),
        );
        // kafkajs reads a header sent once as a value, and one repeated as an array.
        const sent = Object.fromEntries(
          Object.entries(given.headers).map(([name, value]) => [
            name,
            Array.isArray(value) && value.length === 1 ? value[0] : value,
          ]),
        );
        expect(headers).toEqual(sent);
      }),
      { numRuns: 2_000 },
    );
  });
});
